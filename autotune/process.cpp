#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace seqmix::tune {

namespace {

double now_s() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// Waits for pid, reading `fd` (if >= 0) into out; kills the child's group at the deadline.
ChildResult wait_child(pid_t pid, int fd, double timeout_s, double t0) {
    ChildResult r;
    bool timed_out = false;
    int status = 0;
    char buf[65536];
    while (true) {
        if (fd >= 0) {
            pollfd p{fd, POLLIN, 0};
            if (poll(&p, 1, 50) > 0) {
                const ssize_t n = read(fd, buf, sizeof buf);
                if (n > 0) {
                    r.output.append(buf, static_cast<size_t>(n));
                } else {
                    close(fd);
                    fd = -1;
                }
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (!timed_out && now_s() - t0 > timeout_s) {
            timed_out = true;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
    }
    if (fd >= 0) {  // drain what the child wrote before exiting
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0) r.output.append(buf, static_cast<size_t>(n));
        close(fd);
    }
    r.seconds = now_s() - t0;
    if (timed_out) {
        r.kind = ChildResult::Kind::timed_out;
    } else if (WIFSIGNALED(status)) {
        r.kind = ChildResult::Kind::signaled;
        r.code = WTERMSIG(status);
    } else {
        r.code = WEXITSTATUS(status);
    }
    return r;
}

}  // namespace

std::string ChildResult::describe() const {
    std::ostringstream s;
    switch (kind) {
    case Kind::exited: s << "exit " << code; break;
    case Kind::signaled: s << "killed by signal " << code << " (" << strsignal(code) << ")"; break;
    case Kind::timed_out: s << "timed out after " << static_cast<int>(seconds + 0.5) << " s"; break;
    }
    return s.str();
}

ChildResult run_forked(const std::function<std::string()> &body, double timeout_s) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + strerror(errno));
    const double t0 = now_s();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        close(fds[0]);
        int code = 0;
        std::string out;
        try {
            out = body();
        } catch (const std::exception &e) {
            out = std::string("exception: ") + e.what();
            code = 3;
        }
        size_t off = 0;
        while (off < out.size()) {
            const ssize_t n = write(fds[1], out.data() + off, out.size() - off);
            if (n <= 0) break;
            off += static_cast<size_t>(n);
        }
        close(fds[1]);
        _exit(code);  // no atexit handlers, no destructors of the parent's objects
    }
    setpgid(pid, pid);
    close(fds[1]);
    return wait_child(pid, fds[0], timeout_s, t0);
}

ChildResult run_command(const std::vector<std::string> &argv, double timeout_s, const std::string &log_path) {
    if (argv.empty()) throw std::invalid_argument("run_command: empty argv");
    std::vector<char *> args;
    for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    const double t0 = now_s();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        execvp(args[0], args.data());
        dprintf(2, "exec %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);
    ChildResult r = wait_child(pid, -1, timeout_s, t0);
    std::ifstream in(log_path);
    std::stringstream ss;
    ss << in.rdbuf();
    r.output = ss.str();
    if (r.output.size() > 4000) r.output = "..." + r.output.substr(r.output.size() - 4000);
    return r;
}

}  // namespace seqmix::tune
