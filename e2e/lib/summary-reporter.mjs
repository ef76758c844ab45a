// A node:test reporter that prints one last line with the counts, e.g.
//   e2e: 10 passed, 0 failed, 0 skipped (10.3 s)
// Suites (describe blocks) are not counted, only the tests in them; a failed
// before/after hook counts as a failure, and tests it kept from running are
// reported as cancelled.
export default async function* summary(source) {
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  let cancelled = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details = {}, skip, todo } = event.data;
    const failureType = details.error?.failureType;
    if (details.type === 'suite') {
      if (event.type === 'test:fail' && failureType === 'hookFailed') failed++;
      continue;
    }
    if (skip || todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else if (failureType === 'cancelledByParent') cancelled++;
    else failed++;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const extra = cancelled ? `, ${cancelled} cancelled` : '';
  yield `e2e: ${passed} passed, ${failed} failed${extra}, ${skipped} skipped (${seconds} s)\n`;
}
