import fs from 'node:fs';
import type { Command } from 'commander';
import { hashPassword } from '../../services/auth/passwords';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { migrate, openDatabase } from '../../platform/db/database';
import { appendAudit } from '../../services/trust/audit';
import { lockDataDir } from '../data-dir';
import { CliError } from '../errors';

const roles = ['clerk', 'supervisor', 'admin'] as const;

/** The password from standard input (first line), so it never appears in the shell history or `ps`. */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (password.length < 6) throw new CliError('密码至少 6 位（从标准输入读取第一行）', 2);
  return password;
}

function open(dataDir: string) {
  const layout = dataDirLayout(dataDir);
  if (!fs.existsSync(layout.databaseFile)) {
    throw new CliError(`数据目录中没有数据库：${layout.databaseFile}（正式柜台先运行 pension-counter setup；培训用 demo-data）`);
  }
  const db = openDatabase(layout.databaseFile);
  migrate(db);
  return db;
}

/** Opens the database for a change, holding the instance lock until it is closed. */
function openForWrite(dataDir: string, command: string) {
  const lock = lockDataDir(dataDir, command);
  try {
    const db = open(dataDir);
    const close = db.close.bind(db);
    db.close = () => {
      try {
        return close();
      } finally {
        lock.release();
      }
    };
    return db;
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Operator accounts for a production counter: IT staff create the hall's clerks, supervisors and
 * admins here (training mode has its demo accounts). Every change goes to the audit log.
 */
export function registerOperatorCommands(program: Command): void {
  const op = program.command('operator').description('操作员账户（柜员、值班主任、系统管理员）');

  op.command('add')
    .description('新增操作员；密码从标准输入读取，如 echo "口令" | pension-counter operator add …')
    .requiredOption('--username <name>', '登录名')
    .requiredOption('--name <displayName>', '姓名')
    .requiredOption('--role <role>', `角色：${roles.join(' / ')}`)
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .action(async (o: { username: string; name: string; role: string; dataDir: string }) => {
      if (!(roles as readonly string[]).includes(o.role)) throw new CliError(`角色应为 ${roles.join(' / ')}，收到 "${o.role}"`, 2);
      if (!/^[A-Za-z0-9_.-]{2,32}$/.test(o.username)) throw new CliError('登录名为 2–32 位字母、数字、点、下划线或连字符', 2);
      const password = await readPassword();
      const db = openForWrite(o.dataDir, 'operator add');
      try {
        db.transaction(() => {
          const exists = db.prepare('SELECT 1 FROM operators WHERE username = ?').get(o.username);
          if (exists) throw new CliError(`登录名 ${o.username} 已存在`, 2);
          const id = Number(
            db
              .prepare('INSERT INTO operators (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
              .run(o.username, o.name, o.role, hashPassword(password), new Date().toISOString()).lastInsertRowid,
          );
          appendAudit(db, {
            action: 'operator.change',
            entity: 'operator',
            entityId: id,
            actor: null,
            after: { username: o.username, name: o.name, role: o.role, by: 'cli' },
          });
        })();
      } finally {
        db.close();
      }
      process.stdout.write(`已新增操作员 ${o.username}（${o.name}，${o.role}）\n`);
    });

  op.command('list')
    .description('列出操作员')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .action((o: { dataDir: string }) => {
      const db = open(o.dataDir);
      try {
        const rows = db.prepare('SELECT username, display_name, role, active, locked_until FROM operators ORDER BY id').all() as {
          username: string;
          display_name: string;
          role: string;
          active: number;
          locked_until: string | null;
        }[];
        for (const r of rows) {
          process.stdout.write(
            `${r.username}\t${r.display_name}\t${r.role}\t${r.active ? '启用' : '停用'}${r.locked_until ? `\t锁定至 ${r.locked_until}` : ''}\n`,
          );
        }
      } finally {
        db.close();
      }
    });

  op.command('reset-password')
    .description('重设密码并解除锁定；新密码从标准输入读取')
    .requiredOption('--username <name>', '登录名')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .action(async (o: { username: string; dataDir: string }) => {
      const password = await readPassword();
      const db = openForWrite(o.dataDir, 'operator reset-password');
      try {
        db.transaction(() => {
          const row = db.prepare('SELECT id FROM operators WHERE username = ?').get(o.username) as { id: number } | undefined;
          if (!row) throw new CliError(`没有操作员 ${o.username}`, 2);
          db.prepare('UPDATE operators SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?').run(hashPassword(password), row.id);
          appendAudit(db, {
            action: 'operator.change',
            entity: 'operator',
            entityId: row.id,
            actor: null,
            after: { username: o.username, passwordReset: true, by: 'cli' },
          });
        })();
      } finally {
        db.close();
      }
      process.stdout.write(`已重设 ${o.username} 的密码\n`);
    });

  op.command('disable')
    .description('停用操作员（账户保留，记录不变）')
    .requiredOption('--username <name>', '登录名')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .action((o: { username: string; dataDir: string }) => {
      const db = openForWrite(o.dataDir, 'operator disable');
      try {
        db.transaction(() => {
          const row = db.prepare('SELECT id FROM operators WHERE username = ?').get(o.username) as { id: number } | undefined;
          if (!row) throw new CliError(`没有操作员 ${o.username}`, 2);
          db.prepare('UPDATE operators SET active = 0 WHERE id = ?').run(row.id);
          appendAudit(db, {
            action: 'operator.change',
            entity: 'operator',
            entityId: row.id,
            actor: null,
            after: { username: o.username, active: false, by: 'cli' },
          });
        })();
      } finally {
        db.close();
      }
      process.stdout.write(`已停用 ${o.username}\n`);
    });
}
