package dev.notejam.loadtests.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The remote-target switch: a run against a deployed environment must test that environment, never a local app. */
class LoadTestSettingsTest {

	private static final List<String> PROPERTIES = List.of("notejam.baseUrl", "loadtest.startEmbeddedApp", "loadtest.allowRemoteTarget");

	@AfterEach
	void clear() {
		PROPERTIES.forEach(System::clearProperty);
	}

	@Test
	void aRemoteUrlWithTheEmbeddedAppIsRefused() {
		System.setProperty("notejam.baseUrl", "https://dev.notejam.example.com");
		System.setProperty("loadtest.allowRemoteTarget", "true");
		System.setProperty("loadtest.startEmbeddedApp", "true");
		assertThatThrownBy(LoadTestSettings::fromSystemProperties).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("loadtest.startEmbeddedApp=false");
	}

	@Test
	void aRemoteUrlNeedsTheOptIn() {
		System.setProperty("notejam.baseUrl", "https://dev.notejam.example.com");
		System.setProperty("loadtest.startEmbeddedApp", "false");
		assertThatThrownBy(LoadTestSettings::fromSystemProperties).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("loadtest.allowRemoteTarget=true");
	}

	@Test
	void theSmokeStageSwitchTargetsTheRemoteUrlWithNoEmbeddedApp() {
		// what ci/scripts/smoke-test.sh passes for dev
		System.setProperty("notejam.baseUrl", "https://dev.notejam.example.com/");
		System.setProperty("loadtest.startEmbeddedApp", "false");
		System.setProperty("loadtest.allowRemoteTarget", "true");
		LoadTestSettings settings = LoadTestSettings.fromSystemProperties();
		assertThat(settings.baseUrl()).isEqualTo(URI.create("https://dev.notejam.example.com"));
		assertThat(settings.startEmbeddedApp()).isFalse();
	}
}
