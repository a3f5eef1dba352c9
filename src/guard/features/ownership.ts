// Document.createElement / createElementNS / createDocumentFragment:
// remembers which third-party script created a node, so its own widget
// (inputs, buttons, containers) keeps working while the page's fields stay
// off limits. Its nodes' copies and the page's nodes moved into its tree are
// handled where nodes are copied and inserted (features/inline-handlers.ts).
//
// Cost: a stack capture is the expensive part (~10 us here), so it is skipped
// while a first-party script is running its top level (`document.currentScript`
// is a first-party script), and after a first-party verdict until the next
// microtask checkpoint. Skipping can only ever leave an element unmarked,
// which denies a third party its own widget, never grants it the page's elements.

import type { Feature } from './registry';
import { wrapMethod } from '../wrap';
import {
  apply, currentScriptGetter, queueMicrotaskNative, scriptSrcGetter, windowRef, isObject, call0, protoOf, each,
  templateContentGetter, isInstance,
} from '../natives';
import { classifyUrl, currentCaller } from '../attribution';
import { markCreated } from '../targets';

type Create = (...args: unknown[]) => unknown;

const TemplateProto = HTMLTemplateElement.prototype;

let firstUntilCheckpoint = false;
const clearVerdict = (): void => { firstUntilCheckpoint = false; };

/** Whether the script now running its top level is a first-party one (the cheap answer). */
function firstPartyScriptRunning(doc: unknown): boolean {
  let cs: unknown;
  try {
    cs = call0(currentScriptGetter, doc);
  } catch (e) {
    // Not a Document (a page calling the method on something else): take the full path.
    return false;
  }
  if (!isObject(cs)) return false;
  let src: unknown;
  try {
    src = call0(scriptSrcGetter, cs);
  } catch (e) {
    return false; // an SVG <script>: no HTML src getter, take the full path
  }
  // Inline (src '') may be DOM-inserted by anyone, but skipping only fails closed (see above).
  return src === '' || (typeof src === 'string' && classifyUrl(src).party === 'first');
}

/**
 * Marks `node` as the calling script's when that is a third party, and
 * returns its origin (see the cost note above: a first-party verdict skips
 * the stack until the next checkpoint). `doc` is the document asked.
 */
export function markForCaller(node: unknown, doc: unknown): string | undefined {
  if (!isObject(node) || firstUntilCheckpoint) return undefined;
  const caller = firstPartyScriptRunning(doc) ? undefined : currentCaller();
  if (caller !== undefined && caller.party === 'third') {
    markCreated(node, caller.origin);
    return caller.origin;
  }
  // A first-party verdict holds until the next microtask checkpoint (the
  // end of this script or callback): a framework rendering thousands of
  // elements pays once. A third party called synchronously from it goes
  // unmarked, which only fails closed.
  firstUntilCheckpoint = true;
  apply(queueMicrotaskNative, windowRef, [clearVerdict]);
  return undefined;
}

export const ownership: Feature = {
  name: 'ownership',
  init(win) {
    // A fragment too: libraries build a widget in one (jQuery's `$(html)`)
    // before inserting its children, which then stay the widget's.
    each(['createElement', 'createElementNS', 'createDocumentFragment'], (name) => {
      wrapMethod<Create>(protoOf(win, 'Document'), name, (native, thisArg, args) => {
        const el = apply(native, thisArg, args);
        const origin = markForCaller(el, thisArg);
        // A template's content is a fragment of its own: its clones are the widget's too.
        if (origin !== undefined && isInstance(el, TemplateProto)) markCreated(call0(templateContentGetter, el) as object, origin);
        return el;
      });
    });
  },
};
