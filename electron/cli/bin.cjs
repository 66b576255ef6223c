#!/usr/bin/env node
// The `pension-counter` command. The CLI is compiled with the app (npm run build) into out/main/cli.js.
const path = require('node:path');
const fs = require('node:fs');

const built = path.join(__dirname, '..', '..', 'out', 'main', 'cli.js');
if (!fs.existsSync(built)) {
  process.stderr.write('pension-counter: 程序尚未构建（缺少 out/main/cli.js）。请先运行 npm run build。\n');
  process.exit(2);
}
require(built)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
