#!/usr/bin/python3
"""Record how supervisord 4.2.5 itself reads each dialect fixture.

Run with the Debian python that can import supervisor:

    /usr/bin/python3 scripts/record-dialect.py [NAME ...]

For every test/fixtures/dialect/NAME.conf this parses the file with supervisor's own
ServerOptions (realize with -c, nothing is started) and writes NAME.expected.json: the
[supervisord] settings, the servers, every group and every process config parameter, the parse
warnings and what supervisorctl (ClientOptions) reads. A config supervisord rejects is recorded as
{"error": "<supervisord's message>"}. The environment, hostname and working directory are fixed
(env.json), and the fixture directory is written as @FIXTURES@, so recordings are reproducible on
any checkout. tend's test/unit/config/dialect-corpus.test.ts compares its own parse against these.
"""
import json
import os
import platform
import pwd
import signal
import sys

FIXTURES = os.path.abspath(
    os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'dialect'))
PLACEHOLDER = '@FIXTURES@'


class Usage(Exception):
    pass


def fixed_environment():
    with open(os.path.join(FIXTURES, 'env.json')) as f:
        spec = json.load(f)
    env = {k: v.replace(PLACEHOLDER, FIXTURES) for k, v in spec['env'].items()}
    return spec['hostname'], env


def scrub(value):
    """Replace the checkout path by the placeholder, recursively."""
    if isinstance(value, str):
        return value.replace(FIXTURES, PLACEHOLDER)
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    return value


def user_name(uid):
    return None if uid is None else pwd.getpwuid(uid).pw_name


def signal_name(num):
    return signal.Signals(num).name[3:]


def level_name(num):
    from supervisor.loggers import LevelsByDescription
    for name, value in vars(LevelsByDescription).items():
        if value == num and not name.startswith('_'):
            return name
    return num


def autorestart(value):
    from supervisor.datatypes import RestartUnconditionally, RestartWhenExitUnexpected
    if value is RestartUnconditionally:
        return True
    if value is RestartWhenExitUnexpected:
        return 'unexpected'
    return value


def logfile(value):
    from supervisor.datatypes import Automatic
    return 'auto' if value is Automatic else value


def process(config):
    names = config.req_param_names + config.optional_param_names
    out = {name: getattr(config, name) for name in names}
    out['uid'] = user_name(out['uid'])
    out['stopsignal'] = signal_name(out['stopsignal'])
    out['autorestart'] = autorestart(out['autorestart'])
    out['stdout_logfile'] = logfile(out['stdout_logfile'])
    out['stderr_logfile'] = logfile(out['stderr_logfile'])
    return out


def group(config):
    from supervisor.events import getEventNameByType
    from supervisor.options import EventListenerPoolConfig, FastCGIGroupConfig
    out = {'name': config.name, 'priority': config.priority, 'kind': 'program',
           'processes': [process(p) for p in config.process_configs]}
    if isinstance(config, EventListenerPoolConfig):
        handler = config.result_handler
        out.update(kind='eventlistener', buffer_size=config.buffer_size,
                   events=sorted(getEventNameByType(e) for e in config.pool_events),
                   result_handler='%s:%s' % (handler.__module__, handler.__name__))
    if isinstance(config, FastCGIGroupConfig):
        sock = config.socket_config
        owner = getattr(sock, 'owner', None)
        out.update(kind='fcgi-program', socket={
            'url': sock.url, 'backlog': sock.backlog,
            'owner': None if owner is None else list(owner),
            'mode': getattr(sock, 'mode', None)})
    return out


def server(config):
    out = {k: v for k, v in config.items() if k != 'family'}
    out['family'] = 'unix' if config['family'] == getattr(__import__('socket'), 'AF_UNIX') else 'inet'
    if 'chown' in out:
        out['chown'] = list(out['chown'])
    return out


def supervisord_section(options):
    s = options.configroot.supervisord
    keys = ['minfds', 'minprocs', 'directory', 'umask', 'logfile_maxbytes', 'logfile_backups',
            'identifier', 'nodaemon', 'silent', 'childlogdir', 'nocleanup', 'strip_ansi',
            'environment']
    out = {k: getattr(s, k) for k in keys}
    out.update(logfile=options.logfile, pidfile=options.pidfile, loglevel=level_name(s.loglevel),
               user=None if options.uid is None else user_name(options.uid))
    return out


def raising(options):
    def usage(msg):
        raise Usage(str(msg))
    options.usage = usage
    return options


def read_server(path):
    from supervisor.options import ServerOptions
    options = raising(ServerOptions())
    try:
        options.realize(args=['-c', path])
    except Usage as e:
        return {'error': str(e)}
    return {
        'supervisord': supervisord_section(options),
        'servers': [server(c) for c in options.server_configs],
        'serverurl': options.serverurl,
        'groups': [group(g) for g in options.process_group_configs],
        'warnings': options.parse_warnings,
    }


def read_client(path):
    from supervisor.options import ClientOptions
    options = raising(ClientOptions())
    try:
        options.realize(args=['-c', path])
    except Usage as e:
        if 'does not include supervisorctl section' in str(e):
            return None
        return {'error': str(e)}
    return {k: getattr(options, k) for k in ('serverurl', 'username', 'password', 'prompt', 'history_file')}


def main(names):
    hostname, env = fixed_environment()
    os.environ.clear()
    os.environ.update(env)
    platform.node = lambda: hostname
    os.chdir(FIXTURES)
    if not names:
        names = sorted(f[:-5] for f in os.listdir(FIXTURES) if f.endswith('.conf'))
    for name in names:
        path = os.path.join(FIXTURES, name + '.conf')
        record = read_server(path)
        if 'error' not in record:
            record['supervisorctl'] = read_client(path)
        with open(os.path.join(FIXTURES, name + '.expected.json'), 'w') as f:
            json.dump(scrub(record), f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write('\n')
        print('%-40s %s' % (name, record.get('error', 'ok')))


if __name__ == '__main__':
    main(sys.argv[1:])
