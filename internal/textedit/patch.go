package textedit

import (
	"gopkg.in/yaml.v3"

	"github.com/pachidp/pachidp/internal/helmyaml"
)

// yamlPatchMapping returns the splices that make the block mapping m (whose
// lines stop before line stop) read as want, touching only the keys whose
// value changes: a key whose value reads the same (as Helm reads it: `no`
// and `false` alike) keeps its bytes, a changed value is replaced where it
// stands (yamlReplaceValue, recursing into block mappings), a missing key
// is appended after the last one (yamlInsertKey). ok is false when that
// cannot be done (a key of m that want drops, a flow or anchored mapping, a
// merge key, a key not at the start of its line): the caller then rewrites
// the whole value, as before. commit checks the result either way.
//
// Why: `set-secret` replaced the whole entry, and so rewrote
// `insecureSkipEmailVerified: no` as `false`, and reordered keys, though it
// changed one value.
func (v *Doc) yamlPatchMapping(m *yaml.Node, stop int, want OrderedMap, path string, depth int) (sp []splice, ok bool) {
	if depth > helmyaml.MaxDepth || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 || m.Anchor != "" ||
		m.Tag != "" && m.Tag != "!!map" || len(m.Content) == 0 || hasMergeKey(m) != nil {
		return nil, false
	}
	wanted := make(map[string]int, len(want))
	for i, it := range want {
		wanted[it.Key] = i
	}
	entries := make(map[string]yentry, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, false
		}
		name, err := helmyaml.KeyString(k, path)
		if err != nil {
			return nil, false
		}
		if _, keep := wanted[name]; !keep {
			return nil, false // a key to remove: the whole value is rewritten
		}
		e := yentry{key: k, val: m.Content[i+1], stop: stop}
		if i+2 < len(m.Content) {
			e.stop = m.Content[i+2].Line
		}
		entries[name] = e
	}
	var insert *splice
	for _, it := range want {
		p := helmyaml.JoinPath(path, it.Key)
		e, found := entries[it.Key]
		if !found {
			add, err := v.yamlInsertKey(m, stop, it.Key, it.Value)
			if err != nil || len(add) != 1 {
				return nil, false
			}
			if insert == nil {
				insert = &add[0]
			} else {
				insert.text += add[0].text // the same place: after the last key
			}
			continue
		}
		old, err := helmyaml.ToValue(e.val, p, nil)
		if err != nil {
			return nil, false
		}
		if _, same := firstDiff(old, Plain(it.Value), ""); same {
			continue // its bytes stay
		}
		if sub, isMap := it.Value.(OrderedMap); isMap && e.val.Kind == yaml.MappingNode && len(sub) > 0 {
			if more, ok := v.yamlPatchMapping(e.val, e.stop, sub, p, depth+1); ok {
				sp = append(sp, more...)
				continue
			}
		}
		more, err := v.yamlReplaceValue(e, it.Value, p)
		if err != nil {
			return nil, false
		}
		sp = append(sp, more...)
	}
	if insert != nil {
		sp = append(sp, *insert)
	}
	return sp, true
}
