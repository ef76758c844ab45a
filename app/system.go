package app

import (
	"context"
	"runtime"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// AppInfo describes this copy of Cara for the About panel. StartupError is
// set when Cara could not start (e.g. another copy holds the data file): the
// window then shows it instead of the app.
type AppInfo struct {
	Version      string `json:"version"`
	DataDir      string `json:"dataDir"`
	OS           string `json:"os"`
	StartupError string `json:"startupError"`
}

// System is the bound service for app-wide facts.
type System struct {
	ctx  context.Context
	info AppInfo
}

// NewSystem returns the System service.
func NewSystem(version, dataDir string) *System {
	return &System{info: AppInfo{Version: version, DataDir: dataDir, OS: runtime.GOOS + "/" + runtime.GOARCH}}
}

// NewFailedSystem is the System service of a Cara that could not start:
// the only service bound, so the window can say why and offer Quit.
func NewFailedSystem(version, dataDir, message string) *System {
	s := NewSystem(version, dataDir)
	s.info.StartupError = message
	return s
}

// Info returns the version and where data lives.
func (s *System) Info() (AppInfo, error) { return s.info, nil }

// Quit closes Cara.
func (s *System) Quit() error {
	if s.ctx != nil {
		wruntime.Quit(s.ctx)
	}
	return nil
}

// Startup is the OnStartup hook of a failed start (see NewFailedSystem).
func (s *System) Startup(ctx context.Context) { s.startup(ctx) }

func (s *System) startup(ctx context.Context) { s.ctx = ctx }
