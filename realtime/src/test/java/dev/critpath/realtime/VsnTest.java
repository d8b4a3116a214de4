package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import org.junit.jupiter.api.Test;

class VsnTest {
  @Test
  void theTwoVersionsRealtimeSpeaks() {
    assertThat(Vsn.parse("2.0.0")).isEqualTo(Vsn.V2);
    assertThat(Vsn.parse("1.0.0")).isEqualTo(Vsn.V1);
  }

  @Test
  void anotherIsOneLineNamingTheChoices() {
    assertThatThrownBy(() -> Vsn.parse("3.0.0"))
        .isInstanceOf(UserError.class)
        .hasMessage("unknown --vsn 3.0.0: Supabase Realtime speaks 1.0.0 or 2.0.0");
  }
}
