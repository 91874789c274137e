package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/scosearch/scosearch/search"
)

// TestPendingEngineForwardsEveryMethod: serve hands web a pendingEngine,
// and web finds the engine's optional features (trends, comparison,
// parallel view, ...) by interface assertions on it, so a method of
// search.Engine that takes a context and is not forwarded is a feature
// missing under serve only (Trends, Compare and Parallel each were once).
// Every such method must be on pendingEngine with the same signature.
func TestPendingEngineForwardsEveryMethod(t *testing.T) {
	engine := reflect.TypeOf((*search.Engine)(nil))
	pending := reflect.TypeOf((*pendingEngine)(nil))
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	checked := 0
	for i := range engine.NumMethod() {
		m := engine.Method(i)
		if m.Type.NumIn() < 2 || m.Type.In(1) != ctxType {
			continue // not a request: Close, Reload, Stats, ...
		}
		checked++
		pm, ok := pending.MethodByName(m.Name)
		if !ok {
			t.Errorf("pendingEngine does not forward %s%s", m.Name, m.Type)
			continue
		}
		// compare without the receiver
		want, got := m.Type, pm.Type
		if want.NumIn() != got.NumIn() || want.NumOut() != got.NumOut() {
			t.Errorf("pendingEngine.%s is %s, search.Engine.%s is %s", m.Name, got, m.Name, want)
			continue
		}
		for j := 1; j < want.NumIn(); j++ {
			if want.In(j) != got.In(j) {
				t.Errorf("pendingEngine.%s parameter %d is %s, want %s", m.Name, j, got.In(j), want.In(j))
			}
		}
		for j := range want.NumOut() {
			if want.Out(j) != got.Out(j) {
				t.Errorf("pendingEngine.%s result %d is %s, want %s", m.Name, j, got.Out(j), want.Out(j))
			}
		}
	}
	if checked < 8 {
		t.Fatalf("only %d request methods on search.Engine: the test lost its subject", checked)
	}
}
