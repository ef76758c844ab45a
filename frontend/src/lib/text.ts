// Text measures that match the Go side's.

/**
 * countChars counts Unicode code points, as Go's utf8.RuneCountInString does
 * for the 200,000-character limit: an emoji is one character, not two.
 */
export function countChars(text: string): number {
  let n = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
