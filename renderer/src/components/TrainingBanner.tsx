import type { AppInfo } from '../../../shared/api/views';

export function TrainingBanner({ fill }: { fill?: AppInfo['trainingFill'] }) {
  return (
    <div className="training-banner" role="status" data-testid="training-banner">
      培训模式 · 数据为合成演示数据 · 打印件均为样张，不作为正式凭证
      {fill ? (
        <span data-testid="training-fill">
          {' '}
          · 培训数据生成中 {Math.floor((fill.filled / Math.max(1, fill.total)) * 100)}%（{fill.filled.toLocaleString('zh-CN')}/
          {fill.total.toLocaleString('zh-CN')} 人）
        </span>
      ) : null}
    </div>
  );
}
