package dev.notejam.loadtests.simulations;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import dev.notejam.loadtests.traffic.LoadProfile;

/** System properties of a load-test run (the Maven profiles and the harness set them). */
record LoadTestSettings(URI baseUrl, LoadProfile profile, double baselineUsersPerSec, int poolSize,
		double thinkTimeScale, boolean enforceSlo, boolean startEmbeddedApp, Duration appWaitTimeout, Path outputDir) {

	static LoadTestSettings fromSystemProperties() {
		LoadProfile profile = LoadProfile.parse(System.getProperty("loadtest.profile", "smoke"));
		boolean smoke = profile == LoadProfile.SMOKE;
		URI baseUrl = URI.create(System.getProperty("notejam.baseUrl", "http://127.0.0.1:8080").replaceAll("/+$", ""));
		boolean startEmbeddedApp = Boolean.parseBoolean(System.getProperty("loadtest.startEmbeddedApp", "false"));
		if (!isLoopback(baseUrl) && startEmbeddedApp) {
			// the embedded app would replace the remote URL: the run would test this machine, not the target
			throw new IllegalArgumentException("notejam.baseUrl " + baseUrl
					+ " is not on this machine, but loadtest.startEmbeddedApp=true would test an app started here; pass -Dloadtest.startEmbeddedApp=false");
		}
		if (!isLoopback(baseUrl) && !Boolean.getBoolean("loadtest.allowRemoteTarget")) {
			// a load test is a denial of service for anyone else's server: remote targets need an explicit opt-in
			throw new IllegalArgumentException("notejam.baseUrl " + baseUrl
					+ " is not on this machine; pass -Dloadtest.allowRemoteTarget=true for your own cluster's ingress");
		}
		return new LoadTestSettings(baseUrl, profile,
				Double.parseDouble(orDefault(System.getProperty("loadtest.baselineUsersPerSec"), smoke ? "1" : "2")),
				Integer.getInteger("loadtest.poolSize", smoke ? 6 : 30),
				Double.parseDouble(System.getProperty("loadtest.thinkTimeScale", smoke ? "0.1" : "1.0")),
				Boolean.parseBoolean(System.getProperty("loadtest.enforceSlo", "true")),
				startEmbeddedApp,
				Duration.ofSeconds(Integer.getInteger("loadtest.appWaitSeconds", 120)),
				Path.of(System.getProperty("loadtest.outputDir", "target/loadtest")));
	}

	LoadTestSettings withBaseUrl(URI url) {
		return new LoadTestSettings(url, profile, baselineUsersPerSec, poolSize, thinkTimeScale, enforceSlo, startEmbeddedApp,
				appWaitTimeout, outputDir);
	}

	private static String orDefault(String value, String fallback) {
		return value == null || value.isBlank() ? fallback : value;
	}

	private static boolean isLoopback(URI uri) {
		String host = uri.getHost();
		return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
	}
}
