//go:build bindings

package main

// generatingBindings is true when `wails build|dev|generate` compiles Cara
// only to read the bound methods' signatures: then Cara must not touch the
// user's data file or keychain.
const generatingBindings = true
