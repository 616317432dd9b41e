package dev.notejam.loadtests.capacity;

/**
 * Seconds from an app pod marked unschedulable to a new node that can run it, with the node autoscaler the add-on
 * layer chose (docs/cluster-addons.md: Cluster Autoscaler on EKS managed node groups). Documented figures, not
 * measured here: a model input on paper.
 *
 * @param label                  name in the reports
 * @param autoscalerSeconds      pod unschedulable -> the Cluster Autoscaler asks the Auto Scaling group for a node
 * @param instanceToReadySeconds EC2 launch, boot, kubelet join, VPC CNI and DaemonSets up: node Ready
 * @param imagePullSeconds       the app image pulled onto the fresh node (an assumption: nothing documents it)
 */
public record NodeProvisioning(String label, double autoscalerSeconds, double instanceToReadySeconds,
		double imagePullSeconds) {

	/** Cluster Autoscaler FAQ, "What are the Service Level Objectives for Cluster Autoscaler?". */
	public static final String CA_SLO_SOURCE =
			"https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-the-service-level-objectives-for-cluster-autoscaler";

	/** AWS samples' EKS best-practices reference: Cluster Autoscaler scale-up "moderate (~60-90 s)". */
	public static final String AWS_SCALE_UP_SOURCE =
			"https://aws-samples.github.io/sample-apex-skills/docs/skills/eks-best-practices/references/autoscaling";

	/** EKS Workshop, Cluster Autoscaler over-provisioning: the pods of a scale-up waited "several minutes". */
	public static final String EKS_WORKSHOP_SOURCE =
			"https://www.eksworkshop.com/docs/autoscaling/compute/cluster-autoscaler/overprovisioning/";

	/**
	 * The figure the model uses: the FAQ's worst case for a small cluster (30 s; average about 5 s), the upper end
	 * of AWS's 60-90 s for a node group scale-up, 20 s to pull the image.
	 */
	public static final NodeProvisioning EXPECTED = new NodeProvisioning("expected", 30, 90, 20);

	/** "Several minutes" (EKS Workshop): 3 minutes for the instance, with the same autoscaler and pull times. */
	public static final NodeProvisioning SLOW = new NodeProvisioning("slow", 30, 180, 20);

	public NodeProvisioning {
		if (autoscalerSeconds < 0 || instanceToReadySeconds <= 0 || imagePullSeconds < 0) {
			throw new IllegalArgumentException("provisioning times must be positive");
		}
	}

	public double seconds() {
		return autoscalerSeconds + instanceToReadySeconds + imagePullSeconds;
	}
}
