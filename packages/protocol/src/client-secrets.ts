/**
 * `POST /v1/realtime/client_secrets`: the request body (both parts optional) and the response
 * (`ek_…` value, expiry, full session).
 */
import { z } from 'zod';
import { integer, strictObject } from './schema-primitives.js';
import { AnySessionSchema, SessionUpdateSchema } from './session.js';

/** Ephemeral secrets live 10 s to 2 h (default 10 min). */
export const CLIENT_SECRET_TTL_SECONDS = { min: 10, max: 7200, default: 600 } as const;

/** The request body of `POST /v1/realtime/client_secrets`. */
export const ClientSecretCreateRequestSchema = strictObject({
  expires_after: strictObject({
    anchor: z.literal('created_at').optional(),
    seconds: integer({
      min: CLIENT_SECRET_TTL_SECONDS.min,
      max: CLIENT_SECRET_TTL_SECONDS.max,
    }).optional(),
  }).optional(),
  session: SessionUpdateSchema.optional(),
});
/** The request body of `POST /v1/realtime/client_secrets`. */
export type ClientSecretCreateRequest = z.infer<typeof ClientSecretCreateRequestSchema>;

/** The response of `POST /v1/realtime/client_secrets`. */
export const ClientSecretResponseSchema = z.object({
  value: z.string(),
  expires_at: z.number(),
  session: AnySessionSchema,
});
/** The response of `POST /v1/realtime/client_secrets`. */
export type ClientSecretResponse = z.infer<typeof ClientSecretResponseSchema>;
