import { AppError } from '../../../shared/api/errors';
import type { AppContext, NamespaceHandlers } from './context';

/** A configured installation has no first run: the first-run calls are refused. */
export function setupHandlers(_ctx: AppContext): NamespaceHandlers<'setup'> {
  const refuse = (): never => {
    throw new AppError('FORBIDDEN', '本机已经配置，不能再次安装；新的正式柜台请在新的数据目录中建立');
  };
  return { 'setup.training': refuse, 'setup.commission': refuse };
}
