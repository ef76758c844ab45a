package app

import (
	"context"
	"runtime"
)

// AppInfo describes this copy of Cara for the About panel.
type AppInfo struct {
	Version string `json:"version"`
	DataDir string `json:"dataDir"`
	OS      string `json:"os"`
}

// System is the bound service for app-wide facts.
type System struct {
	info AppInfo
}

// NewSystem returns the System service.
func NewSystem(version, dataDir string) *System {
	return &System{info: AppInfo{Version: version, DataDir: dataDir, OS: runtime.GOOS + "/" + runtime.GOARCH}}
}

// Info returns the version and where data lives.
func (s *System) Info() (AppInfo, error) { return s.info, nil }

func (s *System) startup(context.Context) {}
