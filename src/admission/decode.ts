// AdmissionReview admission.k8s.io/v1, as the API server sends it. Only what Rollsafe reads is
// declared; the objects stay `unknown` here and are decoded by the engine's own schemas.
import { z } from 'zod';
import { describeZodError } from '../engine/describe-zod-error.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export const AdmissionRequest = z.object({
  uid: z.string().min(1, 'must not be empty'),
  kind: z.object({ group: z.string(), version: z.string(), kind: z.string() }),
  /** Set for a subresource (`status`, `scale`); absent for the object itself. */
  subResource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  userInfo: z.object({ username: z.string().optional(), groups: z.array(z.string()).optional() }).default({}),
  object: z.unknown().optional(),
  oldObject: z.unknown().optional(),
  dryRun: z.boolean().optional(),
});
export type AdmissionRequest = z.infer<typeof AdmissionRequest>;

export const AdmissionReview = z.object({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal('AdmissionReview'),
  request: AdmissionRequest,
});

export type Decoded = { ok: true; request: AdmissionRequest } | { ok: false; error: string; uid?: string };

/** Decode a request body; every failure is one line saying what is wrong. */
export function decodeReview(body: unknown): Decoded {
  const apiVersion = (body as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion === 'string' && apiVersion !== ADMISSION_API_VERSION && apiVersion.startsWith('admission.k8s.io/')) {
    return { ok: false, error: `${apiVersion} is not supported: set admissionReviewVersions: [v1] in the ValidatingWebhookConfiguration` };
  }
  const parsed = AdmissionReview.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data.request };
  const uid = (body as { request?: { uid?: unknown } } | null)?.request?.uid;
  return {
    ok: false,
    error: `not an ${ADMISSION_API_VERSION} AdmissionReview: ${describeZodError(parsed.error).slice(0, 5).join('; ')}`,
    ...(typeof uid === 'string' && uid !== '' && { uid }),
  };
}
