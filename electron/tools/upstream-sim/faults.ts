// Fault injection for the reference upstream: the trouble a counter meets on a county network,
// on demand and reproducibly (a seeded random stream decides which request is hit).

export const malformedKinds = ['bad_json', 'wrong_types', 'huge_page', 'bad_cursor'] as const;
export type MalformedKind = (typeof malformedKinds)[number];

export interface FaultConfig {
  /** Added to every answer, uniformly in [min, max] ms. */
  latencyMs?: readonly [number, number];
  /** Share of requests answered 503 before anything happens. */
  errorRate?: number;
  /** Share of requests never answered (the client must give up by itself). */
  timeoutRate?: number;
  /** Share of answers cut off: headers and part of the body sent, then the connection dropped. */
  cutRate?: number;
  /**
   * Share of answers delivered twice over: pull pages repeat items (some from before the
   * cursor); pushed events are stored but the answer is lost (503), so the counter sends again.
   */
  duplicateRate?: number;
  /** Items of every page in shuffled order. */
  reorder?: boolean;
  /** Every pull answer broken in this way (for the rejection tests). */
  malformed?: MalformedKind | null;
}

const names: Record<string, string> = {
  latency: 'latency=MIN-MAX (ms)',
  '5xx': '5xx=RATE',
  timeout: 'timeout=RATE',
  cut: 'cut=RATE',
  duplicate: 'duplicate=RATE',
  reorder: 'reorder',
  malformed: `malformed=${malformedKinds.join('|')}`,
};

/**
 * Parses the CLI's --faults list, e.g. "latency=50-300,5xx=0.1,timeout=0.02,cut=0.05,duplicate=0.2,reorder".
 * Throws with the list of known faults on anything else.
 */
export function parseFaults(spec: string): FaultConfig {
  const faults: FaultConfig = {};
  const rate = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !/^(0(\.\d+)?|1(\.0+)?)$/.test(v) || Number.isNaN(n)) throw new Error(`${name} 需要 0–1 之间的比例，收到 "${v ?? ''}"`);
    return n;
  };
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value] = part.split('=', 2) as [string, string | undefined];
    switch (name) {
      case 'latency': {
        const m = /^(\d+)(?:-(\d+))?$/.exec(value ?? '');
        if (!m) throw new Error(`latency 需要毫秒数或范围，如 latency=50-300，收到 "${value ?? ''}"`);
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        if (hi < lo || hi > 120_000) throw new Error('latency 范围无效');
        faults.latencyMs = [lo, hi];
        break;
      }
      case '5xx':
        faults.errorRate = rate(name, value);
        break;
      case 'timeout':
        faults.timeoutRate = rate(name, value);
        break;
      case 'cut':
        faults.cutRate = rate(name, value);
        break;
      case 'duplicate':
        faults.duplicateRate = rate(name, value);
        break;
      case 'reorder':
        if (value !== undefined) throw new Error('reorder 不带参数');
        faults.reorder = true;
        break;
      case 'malformed':
        if (!malformedKinds.includes(value as MalformedKind)) throw new Error(`malformed 应为 ${malformedKinds.join('、')} 之一`);
        faults.malformed = value as MalformedKind;
        break;
      default:
        throw new Error(`未知的故障 "${name}"；可用：${Object.values(names).join('，')}`);
    }
  }
  return faults;
}
