/** What the smoke run reads from a Dockerfile. */
export interface DockerfileFacts {
  /** Sources of the COPY instructions that copy from the build context. */
  copied: string[];
  /** RUN commands by stage name (`''` for an unnamed stage), mount flags left out. */
  runs: Map<string, string[]>;
  /** The last USER instruction's argument. */
  user: string | undefined;
  /** The HEALTHCHECK's exec-form command. */
  healthcheck: string[] | undefined;
}

export function readDockerfile(text: string): DockerfileFacts;
