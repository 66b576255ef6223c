import { pinyin } from 'pinyin-pro';

/**
 * "zs" for 张三: what a clerk types to find a payer by name. Non-Han characters are kept as typed.
 * The registry index is built from it by whoever writes payers (demo county, sync ingest), so it
 * lives below both of them.
 */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
}
