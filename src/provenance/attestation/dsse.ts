/**
 * DSSE envelopes (github.com/secure-systems-lab/dsse, protocol.md): the signature is over
 * PAE(payloadType, payload) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in
 * bytes as ASCII decimal. The PAE itself is @sigstore/core's (the verifier uses the same one).
 */
import { sign, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: { keyid: string; sig: string }[];
}

export function pae(payloadType: string, payload: Buffer): Buffer {
  return dsse.preAuthEncoding(payloadType, payload);
}

export function signEnvelope(payloadType: string, payload: Buffer, privateKey: KeyObject, keyid: string): Envelope {
  const sig = sign(null, pae(payloadType, payload), privateKey);
  return { payload: payload.toString('base64'), payloadType, signatures: [{ keyid, sig: sig.toString('base64') }] };
}
