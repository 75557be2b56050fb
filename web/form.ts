// A family's options as a form, generated from the same option table as the
// CLI (src/config/spec.ts, the family's options.ts). The form hands back raw
// options as the command line would (strings, flags as true, empty = the
// default), so the family's resolve validates them with the CLI's messages.
import type { OptionSpec } from '../src/config/spec.js';
import type { RawOptions } from '../src/config/validate.js';

export interface OptionForm {
  /** The options as the command line would give them. */
  read(): RawOptions;
  /** Fills the form from raw options (a preset); the others go back to their defaults. */
  fill(raw: RawOptions): void;
}

/** The values column of the docs, short: what an option takes. */
function allowedText(s: OptionSpec): string {
  switch (s.kind) {
    case 'int':
      return `integer in [${s.min}, ${s.max}]`;
    case 'number':
      return `number in ${s.minOpen ? '(' : '['}${s.min}, ${s.max}${s.maxOpen ? ')' : ']'}`;
    case 'list':
      return `number(s) in ${s.minOpen ? '(' : '['}${s.min}, ${s.max}]`;
    case 'matrix':
      return 'rows split by ";", entries by ","';
    case 'seed':
      return 'int32 or any string';
    default:
      return '';
  }
}

export function buildOptionForm(container: HTMLElement, table: readonly OptionSpec[], onChange: () => void): OptionForm {
  container.replaceChildren();
  const fields = new Map<string, HTMLInputElement | HTMLSelectElement>();
  for (const spec of table) {
    const label = document.createElement('label');
    label.className = `option option-${spec.kind}`;
    label.title = spec.help;
    const name = document.createElement('span');
    name.className = 'option-name';
    name.textContent = `--${spec.name}`;
    let field: HTMLInputElement | HTMLSelectElement;
    if (spec.kind === 'enum') {
      field = document.createElement('select');
      for (const v of spec.values) field.add(new Option(v, v));
      field.value = spec.default ?? spec.values[0];
    } else if (spec.kind === 'flag') {
      field = document.createElement('input');
      field.type = 'checkbox';
    } else {
      field = document.createElement('input');
      field.type = 'text';
      field.placeholder = 'default' in spec && spec.default !== undefined ? String(spec.default) : allowedText(spec);
      field.spellcheck = false;
    }
    field.name = spec.name;
    field.addEventListener('input', onChange);
    field.addEventListener('change', onChange);
    const help = document.createElement('small');
    // the range, where the help does not say it already
    const numeric = spec.kind === 'int' || spec.kind === 'number' || spec.kind === 'list';
    help.textContent = numeric ? `${spec.help}; ${allowedText(spec)}` : spec.help;
    label.append(name, field, help);
    container.append(label);
    fields.set(spec.name, field);
  }
  const defaultOf = (spec: OptionSpec) => (spec.kind === 'enum' ? (spec.default ?? spec.values[0]) : '');
  return {
    read() {
      const raw: RawOptions = {};
      for (const spec of table) {
        const f = fields.get(spec.name)!;
        if (spec.kind === 'flag') {
          if ((f as HTMLInputElement).checked) raw[spec.name] = true;
        } else if (spec.kind === 'enum') {
          // as the CLI: an option left at its default is not given
          if (f.value !== defaultOf(spec)) raw[spec.name] = f.value;
        } else if (f.value !== '') raw[spec.name] = f.value;
      }
      return raw;
    },
    fill(raw) {
      for (const spec of table) {
        const f = fields.get(spec.name)!;
        const v = raw[spec.name];
        if (spec.kind === 'flag') (f as HTMLInputElement).checked = v === true;
        else f.value = v === undefined ? defaultOf(spec) : String(v);
      }
      onChange();
    },
  };
}
