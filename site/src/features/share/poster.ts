// The share poster, drawn on the phone: a picture, the shop and its agent, and a QR code of the link.
// Loaded with import() only when someone asks for a poster, so neither it nor the QR encoder weighs on the first view.
import { encode } from 'uqr';

export interface PosterInput {
  /** e.g. 王丽的小店 */
  shopName: string;
  agentName: string;
  /** e.g. 悦颜美妆授权 县代 */
  badge: string;
  /** The line under the picture: the product's name, or what the shop offers. */
  headline: string;
  /** A product poster shows its retail price. */
  priceText?: string | undefined;
  imageUrl?: string | null | undefined;
  url: string;
  /** The line under the QR code, e.g. 长按识别二维码进店 */
  scanHint: string;
}

const W = 750;
const H = 1180;
const BRAND = '#0f6e66';
const INK = '#1f2328';
const MUTED = '#57606a';
const FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

function loadImage(src: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => resolve(img);
    img.onerror = () => resolve(null);
    img.src = src;
  });
}

/** Text cut with an ellipsis to fit `max` pixels (names come from people, so they can be long). */
function ellipsize(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

function drawQr(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, size: number) {
  const qr = encode(text, { ecc: 'M', border: 2 });
  const cell = Math.floor(size / qr.size);
  const offset = Math.floor((size - cell * qr.size) / 2);
  ctx.fillStyle = '#fff';
  ctx.fillRect(x, y, size, size);
  ctx.fillStyle = '#000';
  qr.data.forEach((row, r) => {
    row.forEach((dark, c) => {
      if (dark) ctx.fillRect(x + offset + c * cell, y + offset + r * cell, cell, cell);
    });
  });
}

/** Draws the poster and returns it as a PNG data URL (an <img> people can long-press to save or send). */
export async function drawPoster(input: PosterInput): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2d is not available');

  ctx.fillStyle = '#f6f7f9';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = BRAND;
  ctx.fillRect(0, 0, W, 150);
  ctx.fillStyle = '#fff';
  ctx.textBaseline = 'middle';
  ctx.font = `600 44px ${FONT}`;
  ctx.fillText(ellipsize(ctx, input.shopName, W - 80), 40, 62);
  ctx.font = `28px ${FONT}`;
  ctx.fillText(ellipsize(ctx, input.badge, W - 80), 40, 112);

  // The picture, on a white card.
  const top = 180;
  const side = W - 80;
  ctx.fillStyle = '#fff';
  roundRect(ctx, 40, top, side, side, 20);
  ctx.fill();
  const image = input.imageUrl ? await loadImage(input.imageUrl) : null;
  if (image) {
    ctx.save();
    roundRect(ctx, 40, top, side, side, 20);
    ctx.clip();
    const scale = Math.max(side / image.naturalWidth, side / image.naturalHeight) || 1;
    const w = image.naturalWidth * scale;
    const h = image.naturalHeight * scale;
    ctx.drawImage(image, 40 + (side - w) / 2, top + (side - h) / 2, w, h);
    ctx.restore();
  } else {
    ctx.fillStyle = BRAND;
    ctx.font = `600 120px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText(input.agentName.slice(0, 1), W / 2, top + side / 2);
    ctx.textAlign = 'left';
  }

  let y = top + side + 50;
  ctx.fillStyle = INK;
  ctx.font = `600 36px ${FONT}`;
  ctx.fillText(ellipsize(ctx, input.headline, W - 80), 40, y);
  if (input.priceText) {
    ctx.fillStyle = '#c8161d';
    ctx.font = `700 40px ${FONT}`;
    ctx.fillText(input.priceText, 40, y + 56);
  }

  // QR code and who shares it.
  const qrSize = 200;
  y = H - qrSize - 40;
  drawQr(ctx, input.url, W - 40 - qrSize, y, qrSize);
  ctx.fillStyle = INK;
  ctx.font = `600 30px ${FONT}`;
  ctx.fillText(ellipsize(ctx, input.agentName, W - qrSize - 120), 40, y + 60);
  ctx.fillStyle = MUTED;
  ctx.font = `26px ${FONT}`;
  ctx.fillText(ellipsize(ctx, input.scanHint, W - qrSize - 120), 40, y + 110);
  ctx.font = `22px ${FONT}`;
  ctx.fillText(ellipsize(ctx, input.url.replace(/^https?:\/\//, ''), W - qrSize - 120), 40, y + 156);

  return canvas.toDataURL('image/png');
}
