import { TARGETS, type Target, type Treatment } from './mapping.js';
import { MAPPING_ROWS } from './rows.js';

// docs/export.md, generated from the mapping table (scripts/gen-docs.mjs writes it; a unit test
// fails when the committed file differs).

const TITLES: Record<Target, string> = {
  systemd: 'systemd',
  kubernetes: 'Kubernetes',
  nomad: 'Nomad',
  compose: 'Compose',
};

const INTRO = `# Exporting a config: systemd, Kubernetes, Nomad, Compose

When one machine is not enough, tend hands your programs to the engines built for more: the
config that tend runs becomes systemd units, Kubernetes objects, a Nomad job or a Compose file.

\`\`\`
tend export systemd    -c app.conf [--out DIR]
tend export kubernetes -c app.conf [--out DIR] [--image IMG] [--pod-per-group]
tend export nomad      -c app.conf [--out DIR] [--image IMG] [--pod-per-group]
tend export compose    -c app.conf [--out DIR] [--image IMG]
\`\`\`

- The config is read as \`tend check\` reads it: a config that fails there fails here (exit 2, the
  error names file, line, section and key). An unknown target is exit 2 too.
- Without \`--out\` the files are printed (Kubernetes objects as one YAML stream, systemd units
  each under a \`# ---- NAME ----\` line). With \`--out DIR\` each unit or object is its own file;
  everything is generated before the first write and each file is renamed into place whole, so
  an error never leaves half a file in DIR.
- Everything that is not carried over exactly is reported on stderr, one line per program and
  key: \`warning: [program:web] stopsignal: …\` (behaviour changes) or \`note: …\` (where something
  went: logs, a renamed program). Nothing is dropped silently: a key without a row in the table
  below (a key added to tend after this table) is reported as such by every target.
- \`--image\` is the container image (Kubernetes, Compose; Nomad then uses the docker driver
  instead of raw_exec). Without it the placeholder \`IMAGE\` is written, with a warning.
- Names that the target does not accept (a program \`Web_1\` is not a DNS label) are mapped
  (\`web-1\`) and the mapping is reported.
- Programs come out one unit, Deployment, task group or service each. \`--pod-per-group\` puts the
  programs of a \`[group:x]\` in one Pod (Kubernetes: a container per process; a dependency of
  another member becomes a native sidecar that starts first) or one Nomad task group (a
  dependency becomes a prestart sidecar task).
`;

const EXAMPLE = `## Example

\`\`\`ini
[program:web]
command = /srv/app/venv/bin/gunicorn app.wsgi -b 0.0.0.0:8000
ready = http://127.0.0.1:8000/health
stopsignal = QUIT
depends_on = db

[program:worker]
command = /srv/app/venv/bin/celery -A app worker -n w%(process_num)d@%%h
process_name = worker_%(process_num)d
numprocs = 3
\`\`\`

\`tend export systemd\` gives \`web.service\` (\`Requires=db.service\`, \`After=db.service\`,
\`KillSignal=SIGQUIT\`, a warning that systemd has no http readiness probe) and a template
\`worker@.service\` whose \`ExecStart=\` says \`-n w%i@%%h\`, to enable as \`worker@0.service
worker@1.service worker@2.service\`. \`tend export kubernetes\` gives a Deployment \`web\` with a
startupProbe and readinessProbe on \`/health\`, a preStop hook that sends SIGQUIT, an init container
that waits for \`db\`'s Service, and a Deployment \`worker\` with \`replicas: 3\` (and a warning that
replicas cannot differ by \`%(process_num)d\`).

## How the output is checked

The tests put a corpus of 22 real-world configs (test/fixtures/export-corpus: Django and Celery,
Laravel queues, Go services, nginx and php-fpm, numprocs pools, event listeners, fcgi-programs,
…) through every target: systemd units through \`systemd-analyze verify\`, Kubernetes objects
through the OpenAPI schemas of Kubernetes 1.33 (kubernetes-models 4.5; its 5.x, for 1.34, needs Node 22) plus the DNS-label
rules of the API server, Nomad jobs through a closed JSON schema of the JSON job form and the
checks of Nomad's own \`Validate()\`, Compose files through the Compose Specification's JSON schema.
`;

const cell = (text: string): string => text.replaceAll('|', '\\|');

const describe = (t: Treatment): [string, string] => {
  switch (t.how) {
    case 'mapped':
      return [t.to, ''];
    case 'partial':
      return [t.to, `partly: ${t.note}`];
    case 'dropped':
      return ['—', `warns when set: ${t.why}`];
    case 'internal':
      return ['—', t.why];
  }
};

const table = (target: Target): string => {
  const lines = [`## ${TITLES[target]}`, '', '| config keys | becomes | notes |', '| --- | --- | --- |'];
  for (const row of MAPPING_ROWS) {
    const [to, notes] = describe(row.targets[target]);
    const keys = row.keys.length > 0 ? row.keys.map((k) => `\`${k}\``).join(', ') : `(${row.field})`;
    lines.push(`| ${keys} | ${cell(to)} | ${cell(notes)} |`);
  }
  return lines.join('\n');
};

const PENDING = `## Keys other work is adding

\`memory_limit\`, \`cron_restart\`, \`critical\` and the log keys
(\`log_timestamps\`, \`log_format\`) get their rows when they land. Until then an export of a config
that sets one says \`not in tend export's mapping table\` for it.
`;

export const renderExportDocs = (): string => [INTRO, ...TARGETS.map(table), PENDING, EXAMPLE].join('\n\n');
