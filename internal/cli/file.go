package cli

import (
	"errors"
	"io/fs"
	"os"
)

func openFile(name string) (*os.File, error) {
	f, err := os.Open(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("no such file: " + name)
	case errors.Is(err, fs.ErrPermission):
		return nil, errors.New("permission denied: " + name)
	case err != nil:
		return nil, errors.New("can't open " + name)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, errors.New(name + " is a folder, not a file")
	}
	return f, nil
}
