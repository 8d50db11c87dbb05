// A world map as inline SVG: every known country centroid as a faint dot (the world's outline by
// its countries), ScalerNodes and HyperNodes as bubbles sized by count.
import { CENTROIDS } from './countries';

const W = 720;
const H = 360;
const project = ([lon, lat]: [number, number]) => [((lon + 180) / 360) * W, ((90 - lat) / 180) * H];

export function worldMap(scalerNodes: Record<string, number>, hyperNodes: Record<string, number>): SVGSVGElement {
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" class="sea"/>`);
  for (let lon = -150; lon <= 150; lon += 30) parts.push(`<line class="grid" x1="${project([lon, 0])[0]}" y1="0" x2="${project([lon, 0])[0]}" y2="${H}"/>`);
  for (let lat = -60; lat <= 60; lat += 30) parts.push(`<line class="grid" x1="0" y1="${project([0, lat])[1]}" x2="${W}" y2="${project([0, lat])[1]}"/>`);
  for (const c of Object.values(CENTROIDS)) {
    const [x, y] = project(c);
    parts.push(`<circle class="land" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3"/>`);
  }
  const unknown: string[] = [];
  const bubbles = (counts: Record<string, number>, cls: string, dx: number) => {
    for (const [country, n] of Object.entries(counts)) {
      const c = CENTROIDS[country];
      if (!c || !(n > 0)) {
        if (n > 0) unknown.push(country);
        continue;
      }
      const [x, y] = project(c);
      const r = 4 + Math.sqrt(n) * 3;
      parts.push(`<circle class="${cls}" data-country="${country}" data-count="${n}" cx="${(x + dx).toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}"><title>${country}: ${n} ${cls === 'sn' ? 'ScalerNode' : 'HyperNode'}${n === 1 ? '' : 's'}</title></circle>`);
    }
  };
  bubbles(scalerNodes, 'sn', -3);
  bubbles(hyperNodes, 'hn', 3);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'worldmap');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'ScalerNodes and HyperNodes by country');
  svg.dataset.testid = 'world-map';
  svg.innerHTML = parts.join('');
  return svg;
}

// Verdict history as a strip of bars: green UP, red DOWN, grey maintenance.
export function verdictChart(items: { era: number; verdict: string }[]): SVGSVGElement {
  const sorted = [...items].sort((a, b) => a.era - b.era).slice(-60);
  const bw = 8;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${Math.max(1, sorted.length) * bw} 24`);
  svg.setAttribute('class', 'verdicts');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.dataset.testid = 'verdict-chart';
  svg.innerHTML = sorted
    .map((it, i) => `<rect class="v-${it.verdict}" x="${i * bw}" y="${it.verdict === 'up' ? 2 : 10}" width="${bw - 1}" height="${it.verdict === 'up' ? 22 : 14}"><title>era ${it.era}: ${it.verdict.toUpperCase()}</title></rect>`)
    .join('');
  return svg;
}
