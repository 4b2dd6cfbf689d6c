// scripts/printpod-oracle: a developer check, not part of CI. Reads Pods (YAML, as `podsim get FILE -o yaml
// --at T` prints them, one or more documents or a v1 List) on stdin and prints, for each, the STATUS, READY
// and RESTARTS cells that the real kubectl table printer of the Kubernetes version this module requires
// (k8s.io/kubernetes/pkg/printers/internalversion printPod) computes: "NAME<TAB>READY<TAB>STATUS<TAB>RESTARTS".
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	api "k8s.io/kubernetes/pkg/apis/core"
	k8sv1 "k8s.io/kubernetes/pkg/apis/core/v1"
	"k8s.io/kubernetes/pkg/printers"
	"k8s.io/kubernetes/pkg/printers/internalversion"
)

func main() {
	// --now RFC3339: the instant "(Xs ago)" is measured from (podsim's --at time on its epoch).
	// --spec FILE: the scenario, whose Pod documents give each pod's containers (podsim's YAML view has no
	// spec.containers; printPod needs their number and which init containers are sidecars).
	now := time.Now()
	specs := map[string]corev1.PodSpec{}
	for i := 1; i+1 < len(os.Args); i += 2 {
		switch os.Args[i] {
		case "--now":
			t, err := time.Parse(time.RFC3339Nano, os.Args[i+1])
			if err != nil {
				fail(err)
			}
			now = t
		case "--spec":
			f, err := os.Open(os.Args[i+1])
			if err != nil {
				fail(err)
			}
			d := utilyaml.NewYAMLOrJSONDecoder(bufio.NewReader(f), 4096)
			for {
				var raw map[string]interface{}
				if err := d.Decode(&raw); err != nil {
					if err == io.EOF {
						break
					}
					fail(err)
				}
				if raw == nil || raw["kind"] != "Pod" {
					continue
				}
				var p corev1.Pod
				if err := convert(raw, &p); err != nil {
					fail(err)
				}
				specs[p.Name] = p.Spec
			}
			f.Close()
		}
	}
	gen := printers.NewTableGenerator().With(internalversion.AddHandlers)
	dec := utilyaml.NewYAMLOrJSONDecoder(bufio.NewReader(os.Stdin), 4096)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		var raw map[string]interface{}
		if err := dec.Decode(&raw); err != nil {
			if err == io.EOF {
				return
			}
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(2)
		}
		if raw == nil {
			continue
		}
		var pods []corev1.Pod
		if raw["kind"] == "List" {
			var l corev1.PodList
			if err := convert(raw, &l); err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				os.Exit(2)
			}
			pods = l.Items
		} else {
			var p corev1.Pod
			if err := convert(raw, &p); err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				os.Exit(2)
			}
			pods = []corev1.Pod{p}
		}
		for i := range pods {
			shiftToWallClock(&pods[i], now)
			if spec, ok := specs[pods[i].Name]; ok && len(pods[i].Spec.Containers) == 0 {
				pods[i].Spec.Containers = spec.Containers
				pods[i].Spec.InitContainers = spec.InitContainers
			}
			var internal api.Pod
			if err := k8sv1.Convert_v1_Pod_To_core_Pod(&pods[i], &internal, nil); err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				os.Exit(2)
			}
			table, err := gen.GenerateTable(&internal, printers.GenerateOptions{})
			if err != nil {
				fmt.Fprintln(os.Stderr, "error:", err)
				os.Exit(2)
			}
			cells := table.Rows[0].Cells
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", cells[0], cells[1], cells[2], cells[3])
		}
	}
}

// shiftToWallClock moves every lastState.terminated.finishedAt by (wall clock - now), so that printPod's
// translateTimestampSince (time.Since) measures from `now`, the simulated instant of the view.
func shiftToWallClock(pod *corev1.Pod, now time.Time) {
	delta := time.Since(now)
	for _, list := range [][]corev1.ContainerStatus{pod.Status.InitContainerStatuses, pod.Status.ContainerStatuses} {
		for j := range list {
			if t := list[j].LastTerminationState.Terminated; t != nil {
				t.FinishedAt = metav1.NewTime(t.FinishedAt.Add(delta))
			}
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(2)
}

func convert(raw map[string]interface{}, obj interface{}) error {
	return runtime.DefaultUnstructuredConverter.FromUnstructured(raw, obj)
}
