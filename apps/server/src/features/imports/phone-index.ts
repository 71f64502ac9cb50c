/**
 * Phone number → the row that first had it, for the duplicates of one import file. A million
 * phones in a JavaScript Map cost about 80 MB of small heap objects; here they live in two typed
 * arrays (open addressing, linear probing, kept under half full): 12 bytes a slot, 24 MB at a
 * million, and nothing for the garbage collector to walk.
 */
export class PhoneIndex {
  private keys = new Float64Array(1 << 16);
  private rows = new Int32Array(1 << 16);
  private used = 0;

  /** E.164 ("+447700900123") as its digits: at most 15, exact in a double, never 0. */
  private static key(e164: string): number {
    return Number(e164.slice(1));
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    // Multiplicative hashing of the low and high halves: phone numbers are anything but random.
    let h = (Math.imul(key % 0x7fffffff, 0x9e3779b1) ^ Math.imul(Math.floor(key / 0x7fffffff), 0x85ebca6b)) & mask;
    while (this.keys[h] !== 0 && this.keys[h] !== key) h = (h + 1) & mask;
    return h;
  }

  /** The row recorded for this phone, if any. */
  get(e164: string): number | undefined {
    const key = PhoneIndex.key(e164);
    const h = this.slot(key);
    return this.keys[h] === key ? this.rows[h] : undefined;
  }

  set(e164: string, row: number): void {
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const key = PhoneIndex.key(e164);
    const h = this.slot(key);
    if (this.keys[h] !== key) this.used++;
    this.keys[h] = key;
    this.rows[h] = row;
  }

  get size(): number {
    return this.used;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldRows = this.rows;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.rows = new Int32Array(oldRows.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i]!;
      if (key === 0) continue;
      const h = this.slot(key);
      this.keys[h] = key;
      this.rows[h] = oldRows[i]!;
    }
  }
}
