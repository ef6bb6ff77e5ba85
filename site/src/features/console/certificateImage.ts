import { certificateImageUrl } from '../certificates/types';

const WIDTH = 750;
const HEIGHT = 1050;
const SCALE = 2;

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('image'));
    img.src = src;
  });
}

/**
 * The certificate as a PNG: the SVG from the API (the full version, read with the session) drawn on a canvas at 2×.
 * It goes through a blob URL so the canvas stays readable in every browser.
 */
export async function certificatePng(number: string): Promise<Blob> {
  // no-store: never the public (masked) copy a lookup page left in the browser's cache.
  const res = await fetch(certificateImageUrl(number), { credentials: 'same-origin', cache: 'no-store' });
  if (!res.ok) throw new Error(`svg ${res.status}`);
  const svgUrl = URL.createObjectURL(new Blob([await res.text()], { type: 'image/svg+xml' }));
  try {
    const img = await loadImage(svgUrl);
    const canvas = document.createElement('canvas');
    canvas.width = WIDTH * SCALE;
    canvas.height = HEIGHT * SCALE;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('canvas');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('png'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(svgUrl);
  }
}

/** Starts a download of the blob (WeChat's browser ignores it; the page then shows the PNG to long-press). */
export function download(blob: Blob, filename: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  return url;
}
