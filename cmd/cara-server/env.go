package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/joho/godotenv"
)

// defaultEnvFile is read when present.
const defaultEnvFile = ".env"

// caraVars are the CARA_* variables cara-server reads; any other CARA_*
// name set is likely a typo (CARA_ENVV) and is warned about.
var caraVars = []string{"CARA_DATA_DIR", "CARA_ENV", "CARA_GEMINI_BASE_URL"}

// envFile is what a .env file gave: its absolute path ("" when none was
// read) and its variables.
type envFile struct {
	path string
	vars map[string]string
}

// readEnvFile reads a .env file. A missing file is no error only if
// optional: a file the operator named (say, in a unit file) that isn't
// there must stop the start, or a typo would start a development server.
func readEnvFile(path string, optional bool) (envFile, error) {
	if path == "" {
		return envFile{}, nil
	}
	m, err := godotenv.Read(path)
	if errors.Is(err, os.ErrNotExist) {
		if optional {
			return envFile{}, nil
		}
		return envFile{}, fmt.Errorf("the env file %s does not exist", path)
	}
	if err != nil {
		return envFile{}, fmt.Errorf("reading %s: %v", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return envFile{path: abs, vars: m}, nil
}

// envMap turns os.Environ's "K=V" lines into a map.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// logEnvSources says which .env file was read and which of its variables
// were used (names only, never values: they hold secrets), and warns about
// CARA_* names cara-server doesn't know, in the environment or the file.
func logEnvSources(log *slog.Logger, file envFile, procEnv, overrides map[string]string) {
	if file.path != "" {
		var used []string
		for k := range file.vars {
			if _, inEnv := procEnv[k]; !inEnv && overrides[k] == "" {
				used = append(used, k)
			}
		}
		slices.Sort(used)
		log.Info("read the env file", "path", file.path, "variables_used", used)
	}
	unknown := map[string]string{}
	for k := range procEnv {
		unknown[k] = "environment"
	}
	for k := range file.vars {
		if _, inEnv := procEnv[k]; !inEnv {
			unknown[k] = file.path
		}
	}
	names := make([]string, 0, len(unknown))
	for k := range unknown {
		if strings.HasPrefix(k, "CARA_") && !slices.Contains(caraVars, k) {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		log.Warn("unknown variable "+k+": cara-server does not read it (a typo?)", "name", k, "set_in", unknown[k], "known", caraVars)
	}
}
