import { main } from '/work/wt-publish/src/cli/main.ts';
process.exitCode = await main(process.argv.slice(2));
