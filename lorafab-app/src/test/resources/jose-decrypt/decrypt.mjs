// Decrypts a compact JWE with a PKCS#8 PEM private key, as a network operator would with panva/jose:
//   node decrypt.mjs RECIPIENT-KEY.pem FILE.jwe > plaintext
// The plaintext goes to stdout; to stderr, as JSON, the protected header and the RFC 7638 thumbprint (SHA-256) of the
// key's public half, computed here by jose, independently of lorafab.
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, compactDecrypt, decodeProtectedHeader, exportJWK, importPKCS8 } from 'jose';

const [keyFile, jweFile] = process.argv.slice(2);
const pem = readFileSync(keyFile, 'ascii');
const jwe = readFileSync(jweFile, 'ascii').trim();
const alg = decodeProtectedHeader(jwe).alg;
const key = await importPKCS8(pem, alg);
const thumbprint = await calculateJwkThumbprint(await exportJWK(createPublicKey(pem)), 'sha256');
const { plaintext, protectedHeader } = await compactDecrypt(jwe, key);
process.stderr.write(JSON.stringify({ header: protectedHeader, thumbprint }) + '\n');
process.stdout.write(plaintext);
