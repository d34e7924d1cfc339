// Draws the Marketplace icon (media/icon.png, 128 × 128 RGBA): a GPU chip on the banner's navy, its die showing
// three memory bars, the last one green (it fits). No dependencies: shapes are sampled 4 × 4 per pixel and the PNG is
// written with node's zlib. Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SUB = 4;

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const lerp = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

/** Inside a rounded rectangle [x0, x1] × [y0, y1] with corner radius r. */
function roundRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
  };
}

// Back to front; a colour may be a function of y (the background's gradient).
const layers = [];
const add = (inside, color) => layers.push({ inside, color });

add(roundRect(4, 4, 124, 124, 26), (y) => lerp(hex('#1b4a78'), hex('#0c1f33'), y / SIZE));
// Pins: four per side.
for (let i = 0; i < 4; i++) {
  const c = 42 + i * 15;
  add(roundRect(c - 3.5, 18, c + 3.5, 32, 2), () => hex('#8fb3d1'));
  add(roundRect(c - 3.5, 96, c + 3.5, 110, 2), () => hex('#8fb3d1'));
  add(roundRect(18, c - 3.5, 32, c + 3.5, 2), () => hex('#8fb3d1'));
  add(roundRect(96, c - 3.5, 110, c + 3.5, 2), () => hex('#8fb3d1'));
}
add(roundRect(28, 28, 100, 100, 10), () => hex('#e9f2fa'));
add(roundRect(38, 38, 90, 90, 6), () => hex('#10243b'));
// Memory bars on the die: two full ones in blue, the third (what is left) in green.
add(roundRect(45, 58, 55, 83, 2), () => hex('#4f8fd6'));
add(roundRect(59, 50, 69, 83, 2), () => hex('#4f8fd6'));
add(roundRect(73, 44, 83, 83, 2), () => hex('#3ddc84'));

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SUB; sy++) {
      for (let sx = 0; sx < SUB; sx++) {
        const x = px + (sx + 0.5) / SUB;
        const y = py + (sy + 0.5) / SUB;
        let rgb;
        for (const l of layers) if (l.inside(x, y)) rgb = l.color(y);
        if (rgb) acc = [acc[0] + rgb[0], acc[1] + rgb[1], acc[2] + rgb[2], acc[3] + 1];
      }
    }
    const o = (py * SIZE + px) * 4;
    const n = acc[3];
    rgba[o] = n ? Math.round(acc[0] / n) : 0;
    rgba[o + 1] = n ? Math.round(acc[1] / n) : 0;
    rgba[o + 2] = n ? Math.round(acc[2] / n) : 0;
    rgba[o + 3] = Math.round((255 * n) / (SUB * SUB));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
// Every scanline with filter type 0 (none) in front.
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = fileURLToPath(new URL('../media/icon.png', import.meta.url));
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
