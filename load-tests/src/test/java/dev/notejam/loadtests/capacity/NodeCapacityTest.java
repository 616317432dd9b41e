package dev.notejam.loadtests.capacity;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeCapacityTest {

	private static final String TFVARS = """
			azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
			node_instance_types = ["m6i.xlarge", "m6i.large"]
			node_scaling = { min = 1, desired = 2, max = 10 }
			""";

	private static final String ADDONS = """
			locals {
			  system_pods = {
			    # DaemonSets
			    "kube-proxy" = { kind = "DaemonSet", replicas = 1, cpu_m = 100, memory_mi = 0, set_by = "x" }
			    "agent"      = { kind = "DaemonSet", replicas = 1, cpu_m = 330, memory_mi = 64, set_by = "x" }
			    "coredns"    = { kind = "Deployment", replicas = 2, cpu_m = 100, memory_mi = 70, set_by = "x" }
			    "prometheus" = { kind = "StatefulSet", replicas = 1, cpu_m = 500, memory_mi = 2048, set_by = "x" }
			  }

			  requests = {}
			}
			""";

	@Test
	void subtractsTheKubeletReservationAndTheDaemonSetsOfTheSmallestType() {
		NodeCapacity nodes = NodeCapacity.parse(TFVARS, ADDONS);
		// the smallest type decides: m6i.large, 2 vCPUs, EKS reserves 60m + 10m
		assertThat(nodes.instanceType()).isEqualTo("m6i.large");
		assertThat(nodes.allocatableMilli()).isEqualTo(1930);
		assertThat(nodes.daemonSetMilli()).isEqualTo(430);
		assertThat(nodes.daemonSets()).isEqualTo(2);
		assertThat(nodes.systemPodMilli()).isEqualTo(2 * 100 + 500);
		// 1500m free: three 500m pods, two 700m pods, one 1000m pod
		assertThat(nodes.freeMilliPerNode()).isEqualTo(1500);
		assertThat(nodes.podsPerNode(0.5)).isEqualTo(3);
		assertThat(nodes.podsPerNode(0.7)).isEqualTo(2);
		assertThat(nodes.podsPerNode(1.0)).isEqualTo(1);
		assertThat(nodes.maxNodes()).isEqualTo(30);
		assertThat(nodes.minNodes()).isEqualTo(3);
	}

	@Test
	void systemPodsTakeRoomThatAppPodsWouldOtherwiseGet() {
		NodeCapacity nodes = NodeCapacity.parse(TFVARS, ADDONS);
		// 3 nodes x 1500m = 4500m, minus 700m of system pods = 3800m: 7 pods of 500m (packing alone would allow 9)
		assertThat(nodes.appSlots(3, 0.5)).isEqualTo(7);
		// 8 pods need a fourth node: 6000m - 700m = 5300m holds 10
		assertThat(nodes.nodesFor(8, 0.5)).isEqualTo(4);
		assertThat(nodes.nodesFor(1, 0.5)).isEqualTo(3);
		assertThat(nodes.withInstanceType("m6i.xlarge").podsPerNode(0.5)).isEqualTo((3920 - 430) / 500);
	}

	@Test
	void refusesWhatItCannotCount() {
		assertThatThrownBy(() -> NodeCapacity.parse(TFVARS.replace("m6i.large", "c7g.large"), ADDONS))
				.hasMessageContaining("c7g.large");
		assertThatThrownBy(() -> NodeCapacity.parse(TFVARS, "locals {}")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> NodeCapacity.parse("azs = []", ADDONS)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void readsProdFromTheStackVariablesTheAddOnLayerAndTheBackupChart() throws Exception {
		NodeCapacity prod = NodeCapacity.read(Path.of("..").toAbsolutePath().normalize(), "prod");
		// every DaemonSet of helm.tf is counted, and the backup job (a CronJob of 1 core) joins the system pods
		assertThat(prod.daemonSets()).isGreaterThanOrEqualTo(5);
		assertThat(prod.systemPodMilli()).isGreaterThan(1000);
		assertThat(prod.freeMilliPerNode()).isLessThan(prod.allocatableMilli());
		assertThat(prod.podsPerNode(0.5)).isBetween(1, 3);
	}
}
