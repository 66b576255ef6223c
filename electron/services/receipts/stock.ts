// Receipt stock (票证): blocks entered by a supervisor or allocated upstream, handed back, and the balance.
import { appendAudit } from '../trust/audit';
import type { ReceiptBlock } from '../../sync/protocol';
import { refuse } from './errors';
import type { ReceiptCore } from './core';
import { formatReceiptNumber, MAX_BLOCK, type BlockRow } from './rows';
import type { BlockView, StockBalanceRow } from './types';
import * as sql from '../../platform/db/sql';

export class ReceiptStock {
  constructor(private readonly core: ReceiptCore) {}

  /** A block entered by a supervisor from the paper stock delivered to the counter (领用). */
  addBlock(input: { operatorId: number; series: string; firstSerial: number; lastSerial: number; serialDigits: number }, supervisorId: number): BlockView {
    const series = input.series.trim();
    if (series.length < 1 || series.length > 32) throw refuse('VALIDATION', '字轨应为 1–32 个字符');
    if (!Number.isSafeInteger(input.firstSerial) || !Number.isSafeInteger(input.lastSerial) || input.firstSerial < 1 || input.lastSerial < input.firstSerial) {
      throw refuse('VALIDATION', '号码段无效：起始号应为正整数且不大于终止号');
    }
    if (input.lastSerial - input.firstSerial + 1 > MAX_BLOCK) throw refuse('VALIDATION', `一次录入的号码不能超过 ${MAX_BLOCK} 个`);
    if (!Number.isInteger(input.serialDigits) || input.serialDigits < 1 || input.serialDigits > 15 || String(input.lastSerial).length > input.serialDigits) {
      throw refuse('VALIDATION', '号码位数无效：应为 1–15 位且能容纳终止号');
    }
    return this.core.db
      .transaction((): BlockView => {
        this.core.approver(supervisorId, null);
        this.core.holder(input.operatorId);
        const now = this.core.nowIso();
        const id = this.core.insertBlock({ ...input, series, source: 'supervisor', upstreamBlockId: null, enteredBy: supervisorId }, now);
        appendAudit(this.core.db, {
          action: 'receipt.stockReceive',
          entity: 'receipt_block',
          entityId: id,
          actor: { operatorId: supervisorId },
          after: { ...input, series },
          at: now,
        });
        this.core.log.info(
          { blockId: id, series, first: input.firstSerial, last: input.lastSerial, operatorId: input.operatorId, supervisorId },
          'receipt block entered',
        );
        return this.core.blockView(this.core.blockRow(id));
      })
      .immediate();
  }

  /** A block allocated by the upstream (POST /v1/receipt-blocks). Idempotent by the upstream's block id. */
  addUpstreamBlock(block: ReceiptBlock): BlockView {
    return this.core.db
      .transaction((): BlockView => {
        const existing = sql.get<{ id: number }>(this.core.db, 'SELECT id FROM receipt_blocks WHERE upstream_block_id = ?', block.blockId);
        if (existing) return this.core.blockView(this.core.blockRow(existing.id));
        const op = sql.get<{ id: number }>(this.core.db, 'SELECT id FROM operators WHERE username = ?', block.operatorUsername);
        if (!op) throw refuse('NOT_FOUND', `上游分配的号码段属于本机没有的操作员 ${block.operatorUsername}`);
        const id = this.core.insertBlock(
          {
            operatorId: op.id,
            series: block.series,
            firstSerial: block.firstSerial,
            lastSerial: block.lastSerial,
            serialDigits: block.serialDigits,
            source: 'upstream',
            upstreamBlockId: block.blockId,
            enteredBy: null,
          },
          this.core.nowIso(),
        );
        this.core.log.info({ blockId: id, upstreamBlockId: block.blockId, operatorId: op.id }, 'receipt block allocated upstream');
        return this.core.blockView(this.core.blockRow(id));
      })
      .immediate();
  }

  /** Hands back the unused rest of a block (交回): recorded, with the supervisor who took it. */
  handBackBlock(blockId: number, supervisorId: number, reason: string): BlockView {
    const why = this.core.reason(reason);
    return this.core.db
      .transaction((): BlockView => {
        const approver = this.core.approver(supervisorId, null);
        const b = this.core.blockRow(blockId);
        if (b.handed_back_from !== null) throw refuse('RECEIPT_STATE', '该号码段已交回');
        if (b.next_serial > b.last_serial) throw refuse('RECEIPT_STATE', '该号码段已全部用完，没有可交回的号码');
        const now = this.core.nowIso();
        sql.run(
          this.core.db,
          'UPDATE receipt_blocks SET handed_back_from = next_serial, handed_back_at = ?, handed_back_by = ?, hand_back_reason = ? WHERE id = ?',
          now,
          supervisorId,
          why,
          blockId,
        );
        const holder = this.core.holder(b.operator_id);
        this.core.outbox(
          `receipt-block-returned-${blockId}`,
          'receipt.block_returned',
          {
            blockId: b.upstream_block_id,
            localBlockId: b.id,
            receiptType: b.receipt_type,
            series: b.series,
            fromSerial: b.next_serial,
            lastSerial: b.last_serial,
            count: b.last_serial - b.next_serial + 1,
            operatorUsername: holder.username,
            approvedBy: approver.username,
            reason: why,
            returnedAt: now,
          },
          now,
          { operatorId: supervisorId, username: approver.username, counterNo: null },
        );
        this.core.log.info({ blockId, from: b.next_serial, last: b.last_serial, supervisorId }, 'receipt block handed back');
        return this.core.blockView(this.core.blockRow(blockId));
      })
      .immediate();
  }

  blocks(operatorId?: number): BlockView[] {
    const rows =
      operatorId === undefined
        ? sql.all<BlockRow>(this.core.db, 'SELECT * FROM receipt_blocks ORDER BY id')
        : sql.all<BlockRow>(this.core.db, 'SELECT * FROM receipt_blocks WHERE operator_id = ? ORDER BY id', operatorId);
    return rows.map((r) => this.core.blockView(r));
  }

  /** The stock balance (结存) by operator and receipt type, in one query. */
  stockBalance(): StockBalanceRow[] {
    const rows = sql.all<StockBalanceRow>(
      this.core.db,
      `WITH used AS (
           SELECT block_id, sum(state = 'issued') AS issued, sum(state = 'voided') AS voided FROM receipts GROUP BY block_id
         ), nxt AS (
           SELECT operator_id, receipt_type, series, next_serial, serial_digits,
                  row_number() OVER (PARTITION BY operator_id, receipt_type ORDER BY id) AS rn
           FROM receipt_blocks WHERE handed_back_from IS NULL AND next_serial <= last_serial
         )
         SELECT b.operator_id AS operatorId, o.username AS operatorUsername, o.display_name AS operatorName,
                b.receipt_type AS receiptType,
                sum(b.last_serial - b.first_serial + 1) AS received,
                sum(coalesce(u.issued, 0)) AS issued,
                sum(coalesce(u.voided, 0)) AS voided,
                sum(CASE WHEN b.handed_back_from IS NULL THEN b.last_serial - b.next_serial + 1 ELSE 0 END) AS "left",
                sum(CASE WHEN b.handed_back_from IS NULL THEN 0 ELSE b.last_serial - b.handed_back_from + 1 END) AS handedBack,
                (SELECT n.series || substr('000000000000000' || n.next_serial, -n.serial_digits)
                   FROM nxt n WHERE n.operator_id = b.operator_id AND n.receipt_type = b.receipt_type AND n.rn = 1) AS nextNumber
         FROM receipt_blocks b
         JOIN operators o ON o.id = b.operator_id
         LEFT JOIN used u ON u.block_id = b.id
         GROUP BY b.operator_id, b.receipt_type
         ORDER BY o.username, b.receipt_type`,
    );
    return rows;
  }

  /** The number the operator's next receipt will get (the form to load), or null when the stock is empty. */
  nextNumber(operatorId: number): string | null {
    const b = this.core.currentBlock(operatorId);
    return b ? formatReceiptNumber(b.series, b.next_serial, b.serial_digits) : null;
  }

  /** The operator a supervisor names when entering paper stock, or null. */
  operatorByUsername(username: string): { id: number } | null {
    return sql.get<{ id: number }>(this.core.db, 'SELECT id FROM operators WHERE username = ?', username) ?? null;
  }
}
