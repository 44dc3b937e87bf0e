// Package suggest is pachidp's one did-you-mean engine: the edit distances
// and the rules that pick the name a user probably meant.
//
// It guarantees:
//   - Distances count Unicode characters (runes), not bytes, and are
//     symmetric and zero only for equal strings.
//   - Levenshtein counts insertions, deletions and substitutions; OSA also
//     counts a swap of two neighbours as one edit (cilentSecert is two edits
//     from clientsecret, not four).
//   - A suggestion is always one of the candidates, or "" when none is close
//     enough; ties go to the earliest candidate, so the result depends only
//     on the candidates' order, never on map iteration.
//
// Two suggestion modes exist because their callers need different things,
// and the tests of both callers pin them:
//   - Nearest (the library's findings: unknown keys and types) is strict: a
//     candidate equal but for case wins outright; otherwise at most two edits,
//     and fewer edits than the input has characters, so that a one-letter key
//     is never "corrected" into an unrelated one.
//   - ForCommand (the command line: subcommands, flags' values, IdP ids) is
//     lenient: at most two edits, or three for a candidate that is a prefix
//     of the input or has it as prefix ("renderer" finds render), and else
//     the first candidate the input (of two or more bytes) starts, so
//     "valid" finds validate.
//
// Matching a misspelled secret key (redaction) uses OSA directly with a
// per-word largest distance: see pachidp's nearSecretWords.
package suggest
