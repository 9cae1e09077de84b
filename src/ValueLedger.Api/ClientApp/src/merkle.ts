/**
 * RFC 9162 section 2.1.4.2 in the browser: is the tree of `oldSize` leaves with `oldRoot` a prefix of the tree of
 * `newSize` leaves with `newRoot`, by `proof`? The same algorithm as LedgerTree.VerifyConsistency on the server and in
 * ops/verify, over SHA-256 from WebCrypto, so the check trusts neither the server's proof nor its verdict.
 */
export async function verifyConsistency(oldSize: number, newSize: number, oldRoot: string, newRoot: string, proof: string[]): Promise<boolean> {
  if (oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot === newRoot;
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = proof.map(hex);
  if (isPowerOfTwo(oldSize)) path.unshift(hex(oldRoot));
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHex(fr) === oldRoot && toHex(sr) === newRoot;
}

/** SHA-256(0x01 || left || right), the inner node hash of RFC 9162. */
async function nodeHash(left: Uint8Array<ArrayBuffer>, right: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const input = new Uint8Array(65);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 33);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", input));
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n));
}

function hex(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
