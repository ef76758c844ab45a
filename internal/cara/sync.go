package cara

// HLC is a hybrid logical clock stamp: wall time in ms, a counter for events
// within the same ms, and the node (device) that made it. Sync orders edits by it.
type HLC struct {
	WallMS  int64  `json:"wall_ms"`
	Counter uint32 `json:"counter"`
	Node    string `json:"node"`
}

// SyncMeta is carried by every record that can sync (DESIGN §4).
type SyncMeta struct {
	UpdatedHLC HLC  `json:"updated_hlc"`
	Deleted    bool `json:"deleted"`
}
