export function TrainingBanner() {
  return (
    <div className="training-banner" role="status" data-testid="training-banner">
      培训模式 · 数据为合成演示数据 · 打印件均为样张，不作为正式凭证
    </div>
  );
}
