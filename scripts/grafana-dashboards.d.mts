/** File name (`lekha-<area>.json`) → the dashboard's JSON text, as the script writes it to deploy/grafana. */
export function renderDashboards(): Record<string, string>;
