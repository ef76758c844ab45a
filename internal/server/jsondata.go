package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Limits on the free-form JSON a client stores (a practice session's data,
// an event's properties), so that both stores hold exactly what was sent:
// PostgreSQL's jsonb refuses NUL, lone surrogates, very deep nesting and
// numbers past its numeric range (with a 500 if nobody checked first), and
// a float64 round trip would turn 123456789012345678901234567890 into
// 1.2345678901234568e+29.
const (
	maxJSONDepth     = 64
	maxNumberLiteral = 100 // characters
	maxExponent      = 400
)

// jsonObject checks raw is a JSON object of at most limit bytes that the
// stores can keep, and returns it re-encoded: numbers keep their digits,
// strings are valid UTF-8, keys sorted and unique. Errors name what is
// wrong for a person.
func jsonObject(field string, raw json.RawMessage, limit int) (json.RawMessage, error) {
	if len(raw) > limit {
		return nil, invalid("%s must be at most %s of JSON", field, humanBytes(int64(limit)))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalid("%s must be a JSON object", field)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, invalid("%s must be a JSON object", field)
	}
	if err := checkJSONValue(v, 1); err != nil {
		return nil, invalid("%s %s", field, err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, invalid("%s must be a JSON object", field)
	}
	return bytes.TrimRight(out.Bytes(), "\n"), nil
}

// checkJSONValue walks a value decoded with UseNumber; depth counts the
// objects and arrays around it. Its errors complete "data …".
func checkJSONValue(v any, depth int) error {
	if depth > maxJSONDepth {
		return errors.New("is nested too deeply (at most " + strconv.Itoa(maxJSONDepth) + " levels of objects and arrays)")
	}
	switch v := v.(type) {
	case string:
		return checkJSONString(v)
	case json.Number:
		return checkJSONNumber(string(v))
	case map[string]any:
		for k, e := range v {
			if err := checkJSONString(k); err != nil {
				return err
			}
			if err := checkJSONValue(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range v {
			if err := checkJSONValue(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkJSONString(s string) error {
	if strings.ContainsRune(s, 0) {
		return errors.New(`must not contain NUL characters (\u0000)`)
	}
	return nil
}

// checkJSONNumber accepts a number a double can approximate (so every
// JSON parser reads it as a number) without letting its literal run long.
func checkJSONNumber(lit string) error {
	if len(lit) > maxNumberLiteral {
		return errors.New("has a number longer than " + strconv.Itoa(maxNumberLiteral) + " characters")
	}
	mantissa, exp, hasExp := strings.Cut(strings.ToLower(lit), "e")
	f, err := strconv.ParseFloat(lit, 64)
	outOfRange := err != nil || math.IsInf(f, 0) ||
		(f == 0 && strings.ContainsAny(mantissa, "123456789")) // too near 0: it read as 0
	if hasExp {
		n, err := strconv.Atoi(exp)
		outOfRange = outOfRange || err != nil || n > maxExponent || n < -maxExponent
	}
	if outOfRange {
		return errors.New("has a number out of range: " + lit + " (a double holds ±4.9e-324 to ±1.8e308)")
	}
	return nil
}
