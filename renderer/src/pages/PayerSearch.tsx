import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Button, Input, Select, Space, type InputRef } from 'antd';
import type { PayerSearchHit } from '../../../shared/api/views';
import { validateIdNumber } from '../../../shared/domain/id-number';
import { call } from '../api/client';
import { useQuery } from '../api/hooks';
import { Kbd } from '../components/Kbd';

const ID_LIKE = /^[0-9Xx]+$/;

export interface PayerSearchHandle {
  focus(): void;
  clear(): void;
}

interface Props {
  busy: boolean;
  /** An ID number typed in full and Enter. */
  onLookup(idNumber: string): void;
  /** A name / pinyin hit chosen with Enter or a click. */
  onOpen(payerId: number): void;
}

/**
 * The one search field: an ID number (Enter looks it up), or a name / pinyin initials (the list
 * follows the typing; ↑ ↓ move the highlight, Enter opens the highlighted payer).
 */
export const PayerSearch = forwardRef<PayerSearchHandle, Props>(function PayerSearch({ busy, onLookup, onOpen }, ref) {
  const [text, setText] = useState('');
  const [village, setVillage] = useState<string | undefined>(undefined);
  const [hits, setHits] = useState<{ query: string; hits: PayerSearchHit[] }>({ query: '', hits: [] });
  const [active, setActive] = useState(0);
  const inputRef = useRef<InputRef>(null);
  const villages = useQuery('payer.villages', {});

  useImperativeHandle(ref, () => ({
    focus: () => inputRef.current?.focus({ cursor: 'all' }),
    clear: () => {
      setText('');
      setHits({ query: '', hits: [] });
    },
  }));

  const q = text.trim();
  const isId = ID_LIKE.test(q.replace(/\s/g, ''));
  // Name or pinyin initials: search as the clerk types (an ID number is looked up on Enter).
  useEffect(() => {
    if (!q || isId) return;
    let live = true;
    const t = setTimeout(() => {
      call('payer.search', { query: q, village, limit: 20 }).then(
        (r) => {
          if (!live) return;
          setHits({ query: `${q}|${village ?? ''}`, hits: r.hits });
          setActive(0);
        },
        () => live && setHits({ query: `${q}|${village ?? ''}`, hits: [] }),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q, isId, village]);

  const idNumber = q.replace(/\s/g, '').toUpperCase();
  const check = isId && idNumber.length >= 15 ? validateIdNumber(idNumber) : null;
  const problem = check && !check.ok ? check.message : null;
  // Only hits for what is in the field now: Enter never opens a hit of an earlier query.
  const list = q && !isId && hits.query === `${q}|${village ?? ''}` ? hits.hits : [];

  const open = (h: PayerSearchHit) => {
    setText('');
    setHits({ query: '', hits: [] });
    onOpen(h.id);
  };
  const enter = () => {
    if (list.length) {
      open(list[Math.min(active, list.length - 1)]!);
      return;
    }
    if (isId && idNumber && !problem) {
      setText('');
      onLookup(idNumber);
    }
  };

  return (
    <div className="payer-search">
      <Space.Compact style={{ width: '100%' }}>
        <Input
          ref={inputRef}
          autoFocus
          size="large"
          placeholder="刷身份证，或输入身份证号码 / 姓名 / 拼音首字母"
          maxLength={24}
          value={text}
          status={problem ? 'error' : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && list.length) {
              e.preventDefault();
              setActive((i) => Math.min(i + 1, list.length - 1));
            } else if (e.key === 'ArrowUp' && list.length) {
              e.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              enter();
            }
          }}
          aria-label="身份证号码"
          aria-expanded={list.length > 0}
          data-testid="id-input"
          prefix={<Kbd>F2</Kbd>}
        />
        <Select
          size="large"
          style={{ width: 190 }}
          allowClear
          showSearch
          placeholder="全部村（社区）"
          value={village}
          onChange={(v: string | undefined) => setVillage(v)}
          options={(villages.data ?? []).map((t) => ({ label: t.town, options: t.villages.map((v) => ({ label: v, value: v })) }))}
          aria-label="村（社区）"
          data-testid="village-filter"
        />
        <Button size="large" type="primary" loading={busy} onClick={enter}>
          查询
        </Button>
      </Space.Compact>
      {problem ? (
        <div className="field-problem" data-testid="id-input-problem">
          {problem}
        </div>
      ) : null}
      {list.length ? (
        <div className="search-list" role="listbox" data-testid="search-list">
          {list.map((h, i) => (
            <div
              key={h.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'search-hit active' : 'search-hit'}
              data-testid="search-hit"
              onMouseDown={(e) => {
                e.preventDefault();
                open(h);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <b>{h.name}</b> · {h.idNumberMasked} · {h.town}
              {h.village}
            </div>
          ))}
          <div className="search-list-hint">
            <Kbd>↑</Kbd>
            <Kbd>↓</Kbd>选择 <Kbd>Enter</Kbd>打开
          </div>
        </div>
      ) : null}
    </div>
  );
});
