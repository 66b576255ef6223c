// The SAM reader's wire protocol (domain notes §7), terminal side.
//   request : AA AA AA 96 69 | LEN(2, BE) | CMD PARA | data | CHK
//   response: AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 | data | CHK
// LEN counts every byte after itself including CHK; CHK is the XOR of every byte after the header
// (LEN bytes included, CHK excluded).

export const FRAME_HEADER = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);

export const Command = {
  reset: [0x10, 0xff],
  status: [0x11, 0xff],
  samId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readTextPhotoFingerprint: [0x30, 0x10],
} as const satisfies Record<string, readonly [number, number]>;
export type CommandName = keyof typeof Command;

export const Sw3 = {
  ok: 0x90,
  cardFound: 0x9f,
  noContent: 0x91,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  notPermitted: 0x23,
  unknownError: 0x24,
  cardAuthFailed: 0x31,
  readerAuthFailed: 0x32,
  verifyFailed: 0x33,
  unknownCardType: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTestFailed: 0x60,
  samNotAuthorised: 0x66,
  findFailed: 0x80,
  selectFailed: 0x81,
} as const;

const sw3Messages: Record<number, string> = {
  [Sw3.ok]: '操作成功',
  [Sw3.cardFound]: '找到证件',
  [Sw3.noContent]: '证件中此项无内容',
  [Sw3.checksumError]: '读卡器收到的数据校验和错误，请重试',
  [Sw3.lengthError]: '读卡器收到的数据长度错误，请重试',
  [Sw3.commandError]: '读卡器不支持该命令',
  [Sw3.notPermitted]: '读卡器拒绝了越权操作',
  [Sw3.unknownError]: '读卡器发生无法识别的错误',
  [Sw3.cardAuthFailed]: '证件认证读卡器失败，请重新放置证件',
  [Sw3.readerAuthFailed]: '读卡器认证证件失败，证件可能不是有效证件',
  [Sw3.verifyFailed]: '证件信息验证失败，证件可能不是有效证件',
  [Sw3.unknownCardType]: '无法识别的卡类型，请放置居民身份证或居住证',
  [Sw3.readFailed]: '读取证件失败，请不要移动证件，重新放置后再读',
  [Sw3.randomFailed]: '取随机数失败，请重新放置证件',
  [Sw3.samSelfTestFailed]: '读卡器安全模块（SAM）自检失败，请联系运维',
  [Sw3.samNotAuthorised]: '读卡器安全模块（SAM）未经授权，无法使用，请联系运维',
  [Sw3.findFailed]: '读卡器上没有证件，请将证件放在读卡区',
  [Sw3.selectFailed]: '证件已移动，请将证件平放在读卡区不要移动',
};

export function sw3Message(sw3: number): string {
  return sw3Messages[sw3] ?? `读卡器返回未知状态 0x${sw3.toString(16).padStart(2, '0')}`;
}

export type ReaderErrorCode = 'timeout' | 'closed' | 'bad_response' | 'bad_card_data' | 'card_data_mismatch' | `sw_${string}`;

/** A command failed; `message` is meant for the clerk. */
export class ReaderError extends Error {
  constructor(
    readonly code: ReaderErrorCode,
    message: string,
    readonly sw3?: number,
  ) {
    super(message);
    this.name = 'ReaderError';
  }

  static fromStatus(sw3: number): ReaderError {
    return new ReaderError(`sw_${sw3.toString(16).padStart(2, '0')}`, sw3Message(sw3), sw3);
  }
}

/** XOR of the given bytes. */
export function xorAll(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** A complete request frame for a command with optional data. */
export function encodeRequest(cmd: readonly [number, number], data: Uint8Array = new Uint8Array()): Buffer {
  const len = 2 + data.length + 1;
  const frame = Buffer.alloc(FRAME_HEADER.length + 2 + len);
  FRAME_HEADER.copy(frame, 0);
  frame.writeUInt16BE(len, 5);
  frame[7] = cmd[0];
  frame[8] = cmd[1];
  frame.set(data, 9);
  frame[frame.length - 1] = xorAll(frame, 5, frame.length - 1);
  return frame;
}
