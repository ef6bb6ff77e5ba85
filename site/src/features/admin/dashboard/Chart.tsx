import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

// uPlot (about 50 KB minified, 23 KB gzipped) draws on a canvas; this chunk is fetched only when the dashboard
// section opens. The x axis is the row index, labelled with the row's own label (a day, a level name).

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
  format: (v: number) => string;
}

interface Props {
  labels: string[];
  series: ChartSeries[];
  kind: 'line' | 'bar';
  /** What a screen reader hears instead of the canvas. */
  summary: string;
  height?: number;
}

export function Chart({ labels, series, kind, summary, height = 220 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = kind === 'bar' ? uPlot.paths.bars?.({ size: [0.6, 64] }) : undefined;
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        scales: { x: { time: false } },
        legend: { show: series.length > 1 },
        cursor: { drag: { x: false, y: false } },
        axes: [
          {
            values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (labels[i] ?? '') : '')),
            gap: 4,
          },
          { values: (_u, splits) => splits.map((v) => series[0]?.format(v) ?? String(v)), size: 72 },
        ],
        series: [
          { label: '', value: (_u: uPlot, i: number | null) => (i === null ? '–' : (labels[i] ?? '')) },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(bars ? { fill: `${s.color}cc`, paths: bars, points: { show: false } } : {}),
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : s.format(v)),
          })),
        ],
      },
      [labels.map((_, i) => i), ...series.map((s) => s.values)],
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(240, el.clientWidth), height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [labels, series, kind, height]);
  return <div ref={box} class="db-chart" role="img" aria-label={summary} data-chart={kind} />;
}
