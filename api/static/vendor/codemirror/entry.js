// The parts of CodeMirror 6 the SPARQL page uses, bundled into one file that defines the global
// `LrkgCodeMirror` (see README.md in this folder for the command that builds it).
export { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
export { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
export { StreamLanguage, syntaxHighlighting, bracketMatching } from "@codemirror/language";
export { classHighlighter } from "@lezer/highlight";
export { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion } from "@codemirror/autocomplete";
export { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
export { sparql } from "@codemirror/legacy-modes/mode/sparql";
