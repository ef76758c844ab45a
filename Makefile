# Cara — run `make run` to open the app, `make test` to run every test.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
DEV_PORT ?= 34115
export PATH := $(PATH):/usr/local/go/bin

.PHONY: run demo build frontend deps test-deps test test-go test-keychain test-frontend test-e2e test-smoke test-server lint bench bench-server cli clean server

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

frontend/dist/index.html: $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/package-lock.json
	cd frontend && npm run build

frontend: deps frontend/dist/index.html

## build: the production desktop binary → build/bin/cara
build: frontend
	go tool wails build -s -m -trimpath -ldflags "$(LDFLAGS)" -o cara

## cli: just the command-line build (no window) → ./cara
cli: frontend
	go build -ldflags "$(LDFLAGS)" -o cara .

## run: open Cara; with no display, serve the same UI on http://localhost:$(DEV_PORT)
run: build
	@scripts/run.sh $(DEV_PORT)

## demo: open Cara wired to a fake Gemini (no key needed), on a separate demo data folder
demo: build
	@scripts/demo.sh $(DEV_PORT)

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go vet ./...
	cd frontend && npm run typecheck
	@# The committed bindings must match the Go code (modes aside).
	@go tool wails generate module >/dev/null 2>&1 || { echo "wails generate module failed"; exit 1; }
	@git -c core.fileMode=false diff --exit-code --stat frontend/wailsjs || { echo "frontend/wailsjs is stale: run go tool wails generate module and commit"; exit 1; }

test-go:
	go test -count=1 ./...
	@# The agreement figures with textstat, printed (go test hides passing output).
	@set -o pipefail; go test -count=1 -run '^TestTextstatAgreement$$' -v ./internal/analysis/ | sed -n '/^textstat agreement/,/^  syllables/p'

test-frontend:
	cd frontend && npm test

## test-keychain: the keychain against a real Secret Service (gnome-keyring on a private D-Bus)
test-keychain:
	scripts/test-keychain.sh

## test-server: cara-server on a real PostgreSQL (throwaway database) + brief fuzz runs
test-server: test-deps
	@mkdir -p frontend/dist
	scripts/test-server.sh

## server: the hosted API binary (no cgo, no WebKit) → ./cara-server
server:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o cara-server ./cmd/cara-server

test-e2e: frontend
	scripts/e2e.sh

test-smoke: build
	scripts/smoke.sh

## test: every test — lint, Go, frontend, end-to-end in a real browser, real window smoke
test: test-deps frontend lint test-go test-keychain test-server test-frontend test-e2e test-smoke
	@echo "make test: all suites passed"

## bench: speed and memory (not part of test)
bench: frontend
	@scripts/install-deps.sh --bench
	scripts/bench.sh

## bench-server: cara-server verify/refresh/sessions load on PostgreSQL (PB_BIN=… adds PocketBase)
bench-server:
	@scripts/install-deps.sh --test
	scripts/bench.sh server

clean:
	rm -rf build/bin frontend/dist cara cara-server
