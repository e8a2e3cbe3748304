// Checks a Vitrine audit inclusion proof offline, with Node alone (no Vitrine code):
//   node verify-proof.mjs proof.json <the shop's public key, base64>
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const proof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rawKey = Buffer.from(process.argv[3], 'base64');
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const fail = (why) => {
  console.error(`NOT VERIFIED: ${why}`);
  process.exit(1);
};

// 1. The checkpoint carries the shop's Ed25519 signature (a C2SP signed note).
const [body, signatureLine] = proof.checkpoint.split('\n\n');
const [origin, size, rootBase64, time] = body.split('\n');
if (!signatureLine.startsWith(`\u2014 ${origin} `)) fail('no signature by the log');
const signature = Buffer.from(signatureLine.split(' ')[2], 'base64').subarray(4); // after the 4-byte key id
const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), rawKey]);
const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
if (!verify(null, Buffer.from(`${body}\n`), key, signature)) fail('the checkpoint signature is not valid');

// 2. The entry sits at its seq in a tree of that size.
const entry = JSON.parse(proof.leaf);
if (entry.seq !== proof.leaf_index || proof.tree_size !== Number(size)) fail('index or size differ');

// 3. Its leaf hash and the audit path lead to the signed root (RFC 9162, section 2.1.3.2).
let fn = proof.leaf_index;
let sn = Number(size) - 1;
let r = sha256(Buffer.from([0]), Buffer.from(proof.leaf));
for (const p of proof.path.map((h) => Buffer.from(h, 'hex'))) {
  if (sn === 0) fail('the path is too long');
  if (fn % 2 === 1 || fn === sn) {
    r = sha256(Buffer.from([1]), p, r);
    while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  } else {
    r = sha256(Buffer.from([1]), r, p);
  }
  [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
}
if (sn !== 0 || !r.equals(Buffer.from(rootBase64, 'base64'))) fail('the entry is not in the signed log');
console.log(`verified: entry ${entry.seq} is in the log ${origin} as signed (${time}):`);
console.log(JSON.stringify(entry, null, 2));
