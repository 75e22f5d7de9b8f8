// Every policy, imported explicitly: the compiler sees them all and the consistency test
// (test/policies/registry.test.ts) checks each has docs and fixtures.
import type { CheckedKind, Policy } from '../engine/policy.js';
import configRef from './config-ref.js';
import configSchema from './config-schema.js';
import configmapInPlace from './configmap-in-place.js';
import envEmpty from './env-empty.js';
import envLoopback from './env-loopback.js';
import imagePinned from './image-pinned.js';
import probePort from './probe-port.js';
import probePortUndeclared from './probe-port-undeclared.js';
import probeTiming from './probe-timing.js';
import readinessProbe from './readiness-probe.js';
import replicas from './replicas.js';
import resources from './resources.js';
import rollingUpdate from './rolling-update.js';
import runAsNonRoot from './run-as-non-root.js';
import serviceRef from './service-ref.js';

export const POLICIES: readonly Policy<CheckedKind, unknown>[] = [
  readinessProbe,
  probePort,
  probePortUndeclared,
  probeTiming,
  rollingUpdate,
  replicas,
  resources,
  runAsNonRoot,
  imagePinned,
  envEmpty,
  envLoopback,
  configRef,
  configSchema,
  configmapInPlace,
  serviceRef,
] as Policy<CheckedKind, unknown>[];

export const policyById = (id: string): Policy<CheckedKind, unknown> | undefined =>
  POLICIES.find((p) => p.id === id);
