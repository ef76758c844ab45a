// Command cara is the Cara desktop app; with arguments it is Cara's CLI.
package main

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/cara-coach/cara/app"
	"github.com/cara-coach/cara/internal/bolt"
	"github.com/cara-coach/cara/internal/cara"
	"github.com/cara-coach/cara/internal/cli"
	"github.com/cara-coach/cara/internal/coach"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Run(os.Args[1:], version, os.Stdin, os.Stdout, os.Stderr))
	}
	if err := runDesktop(); err != nil {
		fmt.Fprintln(os.Stderr, "cara:", cara.ErrorMessage(err))
		if cara.ErrorCode(err) == cara.EINTERNAL {
			fmt.Fprintln(os.Stderr, "cara:", err)
		}
		os.Exit(1)
	}
}

func runDesktop() error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	dir, err := bolt.DataDir()
	if err != nil {
		return err
	}
	db, err := bolt.Open(dir)
	if err != nil {
		return err
	}
	reviews := coach.NewReviews(db, func() string { return ulid.Make().String() }, time.Now)
	services := app.NewServices(
		app.NewCoach(reviews, log),
		app.NewHistory(reviews, log),
		app.NewSystem(version, dir),
		log,
		db.Close,
	)
	return wails.Run(&options.App{
		Title:            "Cara",
		Width:            1240,
		Height:           820,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        services.Startup,
		OnShutdown:       func(ctx context.Context) { services.Shutdown(ctx) },
		Bind:             services.Bind(),
		Linux:            &linux.Options{Icon: icon, ProgramName: "cara"},
	})
}
