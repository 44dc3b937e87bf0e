// Package gitignore walks a folder the way git sees it: what .gitignore
// files (and .git/info/exclude) ignore is left out, and .git folders are
// never entered. It follows gitignore(5): blank lines and # comments,
// trailing spaces, ! to re-include, a trailing / for folders only, a /
// at the start or in the middle to anchor a pattern to its .gitignore's
// folder, *, ?, [...] and ** in their git meanings, the last matching
// pattern winning, a deeper .gitignore over a higher one, and nothing
// re-included inside an ignored folder (git does not look there, and
// neither does Walk). It does not read core.excludesFile, the user's
// global ignores: a walk must find the same files on every machine.
//
// The tests hold Walk to the real git: `git ls-files --others
// --exclude-standard` on the same trees.
package gitignore

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// pattern is one line of a .gitignore, compiled.
type pattern struct {
	re     *regexp.Regexp // matches the path relative to base
	negate bool
	dir    bool   // trailing /: folders only
	base   string // the folder of the .gitignore, slash-separated, "" at the root
}

// matcher is the patterns in force in one folder: its own and its
// ancestors', in the order git applies them (higher first).
type matcher []pattern

// ignored reports whether rel (slash-separated, from the walk's root) is
// ignored: the last pattern that matches decides.
func (m matcher) ignored(rel string, isDir bool) bool {
	ign := false
	for _, p := range m {
		if p.dir && !isDir {
			continue
		}
		r := rel
		if p.base != "" {
			if !strings.HasPrefix(rel, p.base+"/") {
				continue
			}
			r = rel[len(p.base)+1:]
		}
		if p.re.MatchString(r) {
			ign = !p.negate
		}
	}
	return ign
}

// parse reads the patterns of one .gitignore whose folder is base.
func parse(data []byte, base string) []pattern {
	var out []pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if p, ok := compile(line, base); ok {
			out = append(out, p)
		}
	}
	return out
}

// compile turns one line into a pattern; ok is false for blank lines,
// comments and lines that match nothing.
func compile(line, base string) (pattern, bool) {
	// Trailing spaces are ignored unless escaped with a backslash.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\\ ") {
		line = line[:len(line)-1]
	}
	if line == "" || strings.HasPrefix(line, "#") {
		return pattern{}, false
	}
	p := pattern{base: base}
	if strings.HasPrefix(line, "!") {
		p.negate, line = true, line[1:]
	} else if strings.HasPrefix(line, "\\!") || strings.HasPrefix(line, "\\#") {
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dir, line = true, strings.TrimRight(line, "/")
	}
	if line == "" {
		return pattern{}, false
	}
	// A separator at the start or in the middle anchors the pattern to
	// base; otherwise it matches at any depth below base.
	anchored := strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	var re strings.Builder
	re.WriteString("^")
	if !anchored {
		re.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '*' && strings.HasPrefix(line[i:], "**"):
			atStart := i == 0 || line[i-1] == '/'
			atEnd := i+2 == len(line) || line[i+2] == '/'
			if !atStart || !atEnd { // "a**b" is two plain stars
				re.WriteString("[^/]*")
				i++
				continue
			}
			switch {
			case i+2 == len(line): // trailing /**: everything inside
				re.WriteString(".*")
			default: // **/ at the start or /**/ in the middle: zero or more folders
				re.WriteString("(?:.*/)?")
				i++ // the slash after ** is part of the group
			}
			i++
		case c == '*':
			re.WriteString("[^/]*")
		case c == '?':
			re.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(line[i+1:], ']')
			if end < 0 {
				re.WriteString(`\[`)
				continue
			}
			class := line[i+1 : i+1+end]
			if end == 0 { // "[]...]": the ] is in the class
				if e2 := strings.IndexByte(line[i+2:], ']'); e2 >= 0 {
					class, end = line[i+1:i+2+e2], e2+1
				}
			}
			i += end + 1
			if strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^") {
				class = "^" + class[1:]
			}
			re.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
		case c == '\\' && i+1 < len(line):
			i++
			re.WriteString(regexp.QuoteMeta(string(line[i])))
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	// A pattern that names a folder also covers what is inside it; Walk
	// skips ignored folders, so matching the folder itself is enough.
	re.WriteString("$")
	r, err := regexp.Compile(re.String())
	if err != nil {
		return pattern{}, false // a class git would not accept either
	}
	p.re = r
	return p, true
}

// Walk calls fn for every file below root that git would not ignore, in
// lexical order, with its path as filepath.Join(root, rel). Folders named
// .git are never entered. Inside a git work tree the .gitignore files of
// root's ancestors up to the tree's top, and the top's .git/info/exclude,
// apply too; a root that git ignores holds nothing. An error reading a
// folder is passed to fn as fs.WalkDir passes it.
func Walk(root string, fn func(path string, d fs.DirEntry, err error) error) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	top := WorkTreeTop(abs)
	if top == "" {
		top = abs // not in a work tree: root's own .gitignore only
	}
	prefix, _ := filepath.Rel(top, abs)
	prefix = filepath.ToSlash(prefix)
	if prefix == "." {
		prefix = ""
	}
	var m matcher
	if data, err := os.ReadFile(filepath.Join(top, ".git", "info", "exclude")); err == nil {
		m = append(m, parse(data, "")...)
	}
	// The ancestors from the top down to root: their .gitignore files
	// apply, and an ignored one hides root whole.
	dir := ""
	for _, part := range strings.Split(prefix, "/") {
		if prefix == "" {
			break // root is the top: its .gitignore is read by the walk
		}
		if data, err := os.ReadFile(filepath.Join(top, filepath.FromSlash(dir), ".gitignore")); err == nil {
			m = append(m[:len(m):len(m)], parse(data, dir)...)
		}
		dir = path.Join(dir, part)
		if m.ignored(dir, true) || part == ".git" {
			return nil
		}
	}

	// stack[n] is the matcher in force inside the folder at depth n below
	// root (stack[0]: root's own, once its .gitignore is read).
	stack := []matcher{m}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		relRoot, _ := filepath.Rel(root, p)
		relRoot = filepath.ToSlash(relRoot)
		if err != nil {
			return fn(p, d, err)
		}
		n := 0
		if relRoot != "." {
			n = strings.Count(relRoot, "/") + 1
		}
		rel := path.Join(prefix, relRoot)
		if n > 0 {
			parent := stack[n-1]
			if d.Name() == ".git" {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil // a worktree's .git file
			}
			if parent.ignored(rel, d.IsDir()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				return fn(p, d, nil)
			}
		}
		cur := stack[max(n-1, 0)]
		if n == 0 {
			cur = m
		}
		if data, err := os.ReadFile(filepath.Join(p, ".gitignore")); err == nil {
			base := rel
			if base == "." {
				base = ""
			}
			cur = append(cur[:len(cur):len(cur)], parse(data, base)...)
		}
		stack = append(stack[:n], cur)
		return nil
	})
}

// WorkTreeTop is the nearest ancestor of dir (dir included) holding a .git
// (a folder, or the file of a worktree): the top of the git work tree that
// holds dir, or "" when none does.
func WorkTreeTop(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}
