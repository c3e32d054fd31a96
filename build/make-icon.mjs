// Draws build/icon.png (1024 × 1024, RGBA): a teal rounded square with a white speech bubble and a
// check mark — a help desk that answers. electron-builder derives the .icns and .ico from it.
// Usage: node build/make-icon.mjs (the PNG is committed; run again only to change the design).
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const TEAL = [15, 92, 99];
const WHITE = [255, 255, 255];

function roundedRect(x, y, left, top, right, bottom, radius) {
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2 && x >= left && x <= right && y >= top && y <= bottom;
}

function nearSegment(x, y, [ax, ay], [bx, by], width) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= width / 2;
}

function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const side = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  const d1 = side(x, y, ax, ay, bx, by);
  const d2 = side(x, y, bx, by, cx, cy);
  const d3 = side(x, y, cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** Colour and coverage of one sample point. */
function sample(x, y) {
  if (!roundedRect(x, y, 40, 40, 984, 984, 200)) return null;
  const bubble = roundedRect(x, y, 190, 210, 834, 700, 110) || inTriangle(x, y, [300, 660], [460, 680], [260, 850]);
  if (!bubble) return TEAL;
  const check = nearSegment(x, y, [340, 460], [460, 570], 78) || nearSegment(x, y, [460, 570], [690, 330], 78);
  return check ? TEAL : WHITE;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
const offsets = [0.25, 0.75];
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (const dy of offsets) for (const dx of offsets) {
      const colour = sample(x + dx, y + dy);
      if (!colour) continue;
      r += colour[0]; g += colour[1]; b += colour[2]; a += 1;
    }
    const at = y * (SIZE * 4 + 1) + 1 + x * 4;
    if (a > 0) {
      raw[at] = Math.round(r / a); raw[at + 1] = Math.round(g / a); raw[at + 2] = Math.round(b / a);
    }
    raw[at + 3] = Math.round((a / 4) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`build/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
