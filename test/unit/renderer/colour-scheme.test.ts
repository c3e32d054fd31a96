/**
 * Dark mode follows the OS (issue 15, item 5) only if every colour is a variable the dark scheme
 * redefines: a colour written straight into a rule would stay light-mode in dark mode.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const renderer = fileURLToPath(new URL('../../../renderer/', import.meta.url));
const COLOUR = /#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(/;

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? cssFiles(join(dir, entry.name)) : entry.name.endsWith('.css') ? [join(dir, entry.name)] : [],
  );
}

/** The body of the first block that starts with `opening`, braces balanced. */
function block(css: string, opening: string): string {
  const start = css.indexOf(opening);
  if (start < 0) return '';
  let depth = 0;
  for (let i = css.indexOf('{', start); i < css.length; i++) {
    if (css[i] === '{') depth++;
    if (css[i] === '}' && --depth === 0) return css.slice(start, i + 1);
  }
  return '';
}

const variables = (css: string) => new Map([...css.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));

const styles = readFileSync(join(renderer, 'styles.css'), 'utf8');
const lightRoot = block(styles, ':root');
const darkScheme = block(styles, '@media (prefers-color-scheme: dark)');

describe('colour schemes', () => {
  it('no stylesheet writes a colour outside the variables', () => {
    const offenders = cssFiles(renderer).flatMap((file) => {
      let css = readFileSync(file, 'utf8');
      if (file.endsWith('styles.css')) css = css.replace(lightRoot, '').replace(darkScheme, '');
      return css
        .split('\n')
        .map((line, i) => ({ line: line.replace(/\/\*.*?\*\//g, ''), at: `${relative(renderer, file)}:${i + 1}` }))
        .filter(({ line }) => COLOUR.test(line))
        .map(({ at, line }) => `${at} ${line.trim()}`);
    });
    expect(offenders).toStrictEqual([]);
  });

  it('the dark scheme redefines every colour variable of the light one, and nothing else', () => {
    expect(darkScheme).not.toBe('');
    const light = variables(lightRoot);
    const dark = variables(darkScheme);
    const lightColours = [...light].filter(([, value]) => COLOUR.test(value)).map(([name]) => name).sort();
    expect(lightColours.length).toBeGreaterThan(40);
    expect([...dark.keys()].sort()).toStrictEqual(lightColours);
    expect(darkScheme).toContain('color-scheme: dark');
  });
});
