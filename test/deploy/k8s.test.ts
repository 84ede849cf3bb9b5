/*
 * deploy/k8s: every manifest is valid against the Kubernetes schemas
 * (kubernetes-models; the ServiceMonitor against the Prometheus Operator's),
 * and the pieces agree with each other and with Lekha: probes on the routes
 * the running app serves, ports on its HTTP_PORT, settings its schema knows,
 * the image's user, and no secret values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configSchema, loadConfig, secretKeys } from '../../src/config/index.js';
import { readDockerfile } from '../../scripts/image-smoke.mjs';
import { startHarness } from '../support/edge-harness.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const k8sDir = path.join(repoRoot, 'deploy', 'k8s');

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
} & Record<string, unknown>;

const models: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/** Throws with the schema's complaint when `manifest` is not a valid object of its kind. */
function validateManifest(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8')).map((doc) => doc.toJS() as Manifest),
);
function one<T>(kind: string): T {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T;
}

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  ports: Array<{ name: string; containerPort: number }>;
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  envFrom: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
interface DeploymentSpec {
  replicas: number;
  strategy: { type: string };
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      terminationGracePeriodSeconds: number;
      securityContext: { runAsNonRoot: boolean; runAsUser: number };
      containers: Container[];
      volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
    };
  };
}

const deployment = one<{ spec: DeploymentSpec }>('Deployment').spec;
const container = deployment.template.spec.containers[0] as Container;
const configMap = one<{ metadata: { name: string }; data: Record<string, string> }>('ConfigMap');
const secret = one<{ metadata: { name: string }; stringData: Record<string, string> }>('Secret');
const service = one<{
  metadata: { labels: Record<string, string> };
  spec: { selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: string }> };
}>('Service');

describe('deploy/k8s', () => {
  it('holds only manifests valid against the Kubernetes schemas', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'PodDisruptionBudget',
      'Secret',
      'Service',
      'ServiceMonitor',
    ]);
    for (const manifest of manifests) expect(() => validateManifest(manifest), manifest.kind).not.toThrow();
  });

  it('lists every manifest but the Secret template in its kustomization', () => {
    const kustomization = parseAllDocuments(
      readFileSync(path.join(k8sDir, 'kustomization.yaml'), 'utf8'),
    )[0]?.toJS() as {
      resources: string[];
    };
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== 'secret.example.yaml').sort());
  });

  it.each([
    [
      'a replica count that is not a number',
      (d: Manifest) => ({ ...d, spec: { ...(d.spec as object), replicas: 'one' } }),
    ],
    [
      'a Deployment without a selector',
      (d: Manifest) => ({ ...d, spec: { ...(d.spec as object), selector: undefined } }),
    ],
    ['an unknown kind', (d: Manifest) => ({ ...d, kind: 'Deploymint' })],
  ])('rejects %s', (_what, spoil) => {
    const original = manifests.find((m) => m.kind === 'Deployment') as Manifest;
    expect(() => validateManifest(spoil(structuredClone(original)) as Manifest)).toThrow();
  });

  it('runs one replica, replaced by stopping the old pod first', () => {
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy.type).toBe('Recreate');
    expect(deployment.selector.matchLabels).toEqual(deployment.template.metadata.labels);
  });

  it('probes /healthz and /readyz on the port HTTP_PORT names, and leaves time to drain', () => {
    const port = Number(configMap.data.HTTP_PORT);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(configMap.data.HTTP_HOST).toBe('0.0.0.0');
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    const deadlineMs = loadConfig(configMap.data).SHUTDOWN_DEADLINE_MS;
    expect(deployment.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(deadlineMs + 5000);
  });

  it('probes routes the running app answers 200 on', async () => {
    const h = await startHarness();
    try {
      const base = h.runtime.http?.url ?? '';
      for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
        const res = await fetch(new URL(probe.httpGet.path, base));
        expect(res.status, probe.httpGet.path).toBe(200);
      }
    } finally {
      await h.close();
    }
  });

  it('sets requests and limits, and runs as the image’s non-root user with nothing writable but its volumes', () => {
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    const pod = deployment.template.spec.securityContext;
    expect(pod.runAsNonRoot).toBe(true);
    expect(String(pod.runAsUser)).toBe(
      readDockerfile(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8')).user?.split(':')[0],
    );
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.volumeMounts.map((m) => m.mountPath)).toContain(configMap.data.DATA_DIR);
    const pvc = one<{ metadata: { name: string } }>('PersistentVolumeClaim').metadata.name;
    expect(deployment.template.spec.volumes.map((v) => v.persistentVolumeClaim?.claimName)).toContain(pvc);
  });

  it('configures through a ConfigMap and a Secret of settings Lekha knows, secrets only in the Secret', () => {
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    const known = Object.keys(configSchema.shape);
    const secrets = secretKeys as readonly string[];
    expect(Object.keys(configMap.data).filter((k) => !known.includes(k) || secrets.includes(k))).toEqual([]);
    expect(() => loadConfig(configMap.data)).not.toThrow();
    expect(Object.keys(secret.stringData).filter((k) => !known.includes(k))).toEqual([]);
    expect(secrets.filter((k) => !(k in secret.stringData))).toEqual([]);
  });

  it('ships the Secret as a template without values', () => {
    expect(Object.entries(secret.stringData).filter(([, value]) => value !== '')).toEqual([]);
  });

  it('exposes the container port through the Service, scraped on /metrics by the ServiceMonitor', () => {
    const labels = deployment.template.metadata.labels;
    expect(service.spec.selector).toEqual(labels);
    expect(service.spec.ports).toEqual([{ name: 'http', port: Number(configMap.data.HTTP_PORT), targetPort: 'http' }]);
    const monitor = one<{
      spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> };
    }>('ServiceMonitor');
    expect(Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => service.metadata.labels[k] === v)).toBe(
      true,
    );
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    const pdb = one<{ spec: { selector: { matchLabels: Record<string, string> } } }>('PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.selector.matchLabels);
  });
});
